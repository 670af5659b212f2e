package dev.gatehouse.policy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rule's {@code resources}, read as RBAC reads them: {@code pods} is the resource itself and none of its
 * subresources, {@code pods/exec} one subresource, {@code pods/*} every subresource of pods (not pods itself),
 * {@code *}/{@code scale} that subresource of any resource. Matching allocates nothing.
 */
final class ResourcePatterns {
    private static final String SELF = "";
    private static final String ANY = "*";
    /** resource → subresources ("" the resource itself, "*" any subresource). */
    private final Map<String, Set<String>> byResource = new HashMap<>();
    /** Subresources matched on any resource ({@code * /scale}). */
    private final Set<String> ofAnyResource = new HashSet<>();

    private ResourcePatterns() {
    }

    /**
     * Patterns from a rule's list; null when it matches every resource ({@code *}). A bad pattern fails with what
     * was expected, through {@code bad}.
     */
    static ResourcePatterns of(List<String> patterns, java.util.function.Function<String, PolicyException> bad) {
        ResourcePatterns p = new ResourcePatterns();
        for (String pattern : patterns) {
            if (pattern.equals(ANY)) {
                return null;
            }
            int slash = pattern.indexOf('/');
            String resource = slash < 0 ? pattern : pattern.substring(0, slash);
            String sub = slash < 0 ? SELF : pattern.substring(slash + 1);
            boolean ok = resource.equals(ANY)
                    ? PolicyNames.resource(sub)
                    : PolicyNames.resource(resource) && (slash < 0 || sub.equals(ANY) || PolicyNames.resource(sub));
            if (!ok) {
                throw bad.apply("\"" + PolicyYaml.printable(pattern) + "\" (expected: a lower-case resource as in the "
                        + "API path, optionally with a subresource: pods, pods/exec, pods/*, */scale, or *)");
            }
            if (resource.equals(ANY)) {
                p.ofAnyResource.add(sub);
            } else {
                p.byResource.computeIfAbsent(resource, r -> new HashSet<>()).add(sub);
            }
        }
        return p;
    }

    boolean matches(String resource, String subresource) {
        Set<String> subs = byResource.get(resource);
        if (subresource.isEmpty()) {
            return subs != null && subs.contains(SELF);
        }
        return (subs != null && (subs.contains(subresource) || subs.contains(ANY)))
                || ofAnyResource.contains(subresource);
    }

    /** True when every request {@code other} matches, this matches too. */
    boolean covers(ResourcePatterns other) {
        for (Map.Entry<String, Set<String>> e : other.byResource.entrySet()) {
            for (String sub : e.getValue()) {
                boolean covered = sub.equals(ANY)
                        ? byResource.getOrDefault(e.getKey(), Set.of()).contains(ANY)
                        : matches(e.getKey(), sub);
                if (!covered) {
                    return false;
                }
            }
        }
        return ofAnyResource.containsAll(other.ofAnyResource);
    }
}
