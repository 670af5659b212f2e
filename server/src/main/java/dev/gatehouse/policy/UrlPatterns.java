package dev.gatehouse.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A rule's {@code nonResourceURLs}, read as RBAC reads them: an exact path ({@code /version}), or a prefix ending in
 * {@code *} ({@code /healthz/*}); {@code *} alone is every non-resource URL.
 */
final class UrlPatterns {
    private final Set<String> exact = new HashSet<>();
    private final List<String> prefixes = new ArrayList<>();

    private UrlPatterns() {
    }

    /** Patterns from a rule's list; null when it matches every non-resource URL. */
    static UrlPatterns of(List<String> patterns, java.util.function.Function<String, PolicyException> bad) {
        UrlPatterns p = new UrlPatterns();
        for (String pattern : patterns) {
            if (pattern.equals("*")) {
                return null;
            }
            int star = pattern.indexOf('*');
            if (!pattern.startsWith("/") || (star >= 0 && star != pattern.length() - 1)) {
                throw bad.apply("\"" + PolicyYaml.printable(pattern) + "\" (expected: a path such as /version, or a "
                        + "prefix ending in * such as /healthz/*)");
            }
            if (star >= 0) {
                p.prefixes.add(pattern.substring(0, star));
            } else {
                p.exact.add(pattern);
            }
        }
        return p;
    }

    boolean matches(String path) {
        if (exact.contains(path)) {
            return true;
        }
        for (int i = 0; i < prefixes.size(); i++) {
            if (path.startsWith(prefixes.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** True when every path {@code other} matches, this matches too. */
    boolean covers(UrlPatterns other) {
        for (String path : other.exact) {
            if (!matches(path)) {
                return false;
            }
        }
        for (String prefix : other.prefixes) {
            if (prefixes.stream().noneMatch(prefix::startsWith)) {
                return false;
            }
        }
        return true;
    }
}
