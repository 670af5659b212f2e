package dev.gatehouse.mask;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A configured field rule ({@code masking.rules[]}): in responses about {@code resources}, the values at
 * {@code paths} of every object (and everything below them) become markers; with a {@code selector}, only in objects
 * whose {@code metadata.labels} carry every listed label with its value.
 *
 * @param name      unique, for errors and the documentation
 * @param resources what it covers
 * @param selector  labels the object must carry (empty: every object)
 * @param paths     the masked fields, from the object's root
 */
public record FieldRule(String name, List<ResourcePattern> resources, Map<String, String> selector,
                        List<FieldPath> paths) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?");
    private static final Pattern LABEL_KEY = Pattern.compile(
            "([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    public FieldRule {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: " + (name == null ? "missing" : "\"" + name + "\"")
                    + " (expected: lower-case letters, digits, '-' and '.')");
        }
        if (resources == null || resources.isEmpty()) {
            throw new IllegalArgumentException("resources: missing (expected: a non-empty list of resource or"
                    + " group/resource)");
        }
        if (paths == null || paths.isEmpty()) {
            throw new IllegalArgumentException("paths: missing (expected: a non-empty list of field paths)");
        }
        resources = List.copyOf(resources);
        paths = List.copyOf(paths);
        selector = Map.copyOf(selector == null ? Map.of() : selector);
        for (Map.Entry<String, String> label : selector.entrySet()) {
            if (!LABEL_KEY.matcher(label.getKey()).matches()) {
                throw new IllegalArgumentException("selector: \"" + label.getKey() + "\" (expected: a label key)");
            }
            if (!LABEL_VALUE.matcher(label.getValue()).matches()) {
                throw new IllegalArgumentException("selector." + label.getKey() + ": \"" + label.getValue()
                        + "\" (expected: a label value)");
            }
        }
    }

    /** A rule from strings, for the defaults and tests. */
    public static FieldRule of(String name, List<String> resources, Map<String, String> selector,
                               List<String> paths) {
        List<ResourcePattern> rs = new ArrayList<>();
        resources.forEach(r -> rs.add(ResourcePattern.parse(r)));
        List<FieldPath> ps = new ArrayList<>();
        paths.forEach(p -> ps.add(FieldPath.parse(p)));
        return new FieldRule(name, rs, selector, ps);
    }
}
