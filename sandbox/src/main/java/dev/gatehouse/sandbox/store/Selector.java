package dev.gatehouse.sandbox.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.Json;

/**
 * Label and field selectors as the apiserver reads them from {@code labelSelector} and {@code fieldSelector}.
 * Labels: {@code a=b}, {@code a==b}, {@code a!=b}, {@code a}, {@code !a}, {@code a in (x,y)},
 * {@code a notin (x)}. Fields: {@code path=value}, {@code path!=value} on any dotted path of the object
 * ({@code metadata.name}, {@code involvedObject.uid}, {@code status.phase}).
 */
public final class Selector implements Predicate<ObjectNode> {
    private static final Selector EVERYTHING = new Selector(List.of());

    private final List<Predicate<ObjectNode>> requirements;

    private Selector(List<Predicate<ObjectNode>> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    public static Selector everything() {
        return EVERYTHING;
    }

    /** Both selectors together; either may be null or empty. */
    public static Selector of(String labelSelector, String fieldSelector) {
        List<Predicate<ObjectNode>> all = new ArrayList<>();
        all.addAll(labels(labelSelector));
        all.addAll(fields(fieldSelector));
        return all.isEmpty() ? EVERYTHING : new Selector(all);
    }

    @Override
    public boolean test(ObjectNode object) {
        for (Predicate<ObjectNode> requirement : requirements) {
            if (!requirement.test(object)) {
                return false;
            }
        }
        return true;
    }

    private static List<Predicate<ObjectNode>> labels(String selector) {
        List<Predicate<ObjectNode>> out = new ArrayList<>();
        if (selector == null || selector.isBlank()) {
            return out;
        }
        for (String term : splitTerms(selector)) {
            out.add(label(term.trim()));
        }
        return out;
    }

    private static Predicate<ObjectNode> label(String term) {
        String lower = term.toLowerCase(java.util.Locale.ROOT);
        int in = lower.indexOf(" in ");
        int notIn = lower.indexOf(" notin ");
        if (notIn > 0) {
            String key = term.substring(0, notIn).trim();
            Set<String> values = valueSet(term.substring(notIn + 7));
            return o -> !values.contains(labelOf(o, key));
        }
        if (in > 0) {
            String key = term.substring(0, in).trim();
            Set<String> values = valueSet(term.substring(in + 4));
            return o -> values.contains(labelOf(o, key));
        }
        if (term.contains("!=")) {
            String[] kv = term.split("!=", 2);
            return o -> !kv[1].trim().equals(labelOf(o, kv[0].trim()));
        }
        if (term.contains("=")) {
            String[] kv = term.split("==?", 2);
            return o -> kv[1].trim().equals(labelOf(o, kv[0].trim()));
        }
        if (term.startsWith("!")) {
            String key = term.substring(1).trim();
            return o -> labelOf(o, key) == null;
        }
        if (term.isEmpty()) {
            throw ApiException.badRequest("unable to parse requirement: empty label selector term");
        }
        return o -> labelOf(o, term) != null;
    }

    private static Set<String> valueSet(String list) {
        String body = list.trim();
        if (!body.startsWith("(") || !body.endsWith(")")) {
            throw ApiException.badRequest("unable to parse requirement: expected a parenthesised set, got " + body);
        }
        Set<String> values = new java.util.HashSet<>();
        for (String v : body.substring(1, body.length() - 1).split(",")) {
            values.add(v.trim());
        }
        return values;
    }

    private static String labelOf(ObjectNode object, String key) {
        JsonNode labels = Json.at(object, "metadata.labels");
        if (labels == null || !labels.has(key)) {
            return null;
        }
        return labels.get(key).asText();
    }

    private static List<Predicate<ObjectNode>> fields(String selector) {
        List<Predicate<ObjectNode>> out = new ArrayList<>();
        if (selector == null || selector.isBlank()) {
            return out;
        }
        for (String term : selector.split(",")) {
            String t = term.trim();
            boolean negate = t.contains("!=");
            String[] kv = negate ? t.split("!=", 2) : t.split("==?", 2);
            if (kv.length != 2) {
                throw ApiException.badRequest("invalid selector: '" + selector + "'; can't understand '" + t + "'");
            }
            String path = kv[0].trim();
            String value = kv[1].trim();
            out.add(o -> {
                String actual = Json.text(o, path);
                boolean equal = value.equals(actual == null ? "" : actual);
                return negate != equal;
            });
        }
        return out;
    }

    /** Splits on commas outside parentheses. */
    private static List<String> splitTerms(String selector) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : selector.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                terms.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        terms.add(current.toString());
        return terms;
    }
}
