package dev.gatehouse.classify;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.status.GatewayException;

/**
 * A request's query string, parsed once for classification. Parameters that decide a request's verb or
 * name ({@code watch}, {@code follow}, {@code fieldSelector}) must appear at most once; a query the
 * apiserver could split differently (';' separators, malformed escapes) is refused.
 */
public final class Query {
    private static final Set<String> SINGLE_VALUED = Set.of("watch", "follow", "fieldSelector");
    private final String raw;
    private final Map<String, List<String>> params;

    private Query(String raw, Map<String, List<String>> params) {
        this.raw = raw;
        this.params = params;
    }

    /** Parses {@code raw} (without '?', may be null). */
    public static Query parse(String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return new Query("", params);
        }
        if (raw.indexOf(';') >= 0) {
            throw GatewayException.badRequest("';' is not accepted in the query string");
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        for (String key : SINGLE_VALUED) {
            if (params.getOrDefault(key, List.of()).size() > 1) {
                throw GatewayException.badRequest("query parameter '" + key + "' must not be repeated");
            }
        }
        return new Query(raw, params);
    }

    /** The raw query string as received (empty when none). */
    public String raw() {
        return raw;
    }

    /** The first value of {@code key}, or null. */
    public String first(String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of {@code key}, in order (empty when absent). */
    public List<String> all(String key) {
        return List.copyOf(params.getOrDefault(key, List.of()));
    }

    /** A boolean flag read as Go's {@code strconv.ParseBool}; absent is false, unparseable is refused. */
    public boolean flag(String key) {
        String v = first(key);
        if (v == null) {
            return false;
        }
        return switch (v) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False", "" -> false;
            default -> throw GatewayException.badRequest("query parameter '" + key + "': '" + PathGuard.printable(v)
                    + "' (expected: true or false)");
        };
    }

    /** The name an exact {@code metadata.name} field selector requires, or "" (the apiserver's RequiresExactMatch). */
    public String fieldSelectorName() {
        String selector = first("fieldSelector");
        if (selector == null || selector.isEmpty()) {
            return "";
        }
        String found = "";
        for (String term : selector.split(",")) {
            String t = term.trim();
            if (t.contains("!=")) {
                continue;
            }
            int op = t.indexOf("==");
            int len = 2;
            if (op < 0) {
                op = t.indexOf('=');
                len = 1;
            }
            if (op < 0) {
                throw GatewayException.badRequest("invalid field selector: '" + PathGuard.printable(selector) + "'");
            }
            if (t.substring(0, op).trim().equals("metadata.name")) {
                if (!found.isEmpty()) {
                    throw GatewayException.badRequest("field selector names metadata.name more than once");
                }
                found = t.substring(op + len).trim();
            }
        }
        // Only a value that is a valid path segment name becomes the request's name (as in the apiserver).
        if (found.isEmpty() || found.equals(".") || found.equals("..") || found.contains("/") || found.contains("%")) {
            return "";
        }
        return found;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw GatewayException.badRequest("malformed escape in the query string");
        }
    }
}
