package dev.gatehouse.classify;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
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
 * apiserver could split or decode differently (';' separators, malformed escapes, raw non-ASCII, escapes that are
 * not UTF-8) is refused, so what is accepted reads exactly as Go's {@code url.ParseQuery} reads it.
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
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw GatewayException.badRequest("character U+" + String.format("%04X", (int) c)
                        + " is not accepted in the query string (expected: printable ASCII, anything else"
                        + " percent-encoded)");
            }
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

    /**
     * A boolean flag as the apiserver reads it (apimachinery's {@code Convert_Slice_string_To_bool}: "0" and "false"
     * in any case are false, any other value is true, the empty one too: {@code ?watch} is a watch). Absent is false;
     * "", "1", "t", "T", "true", "True", "TRUE" are true; "0", "false", "False", "FALSE" are false; anything else is
     * refused rather than guessed, in particular "f" and "F", which Go's {@code strconv.ParseBool} reads as false
     * and the apiserver as true.
     */
    public boolean flag(String key) {
        String v = first(key);
        if (v == null) {
            return false;
        }
        return switch (v) {
            case "", "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "FALSE", "false", "False" -> false;
            default -> throw GatewayException.badRequest("query parameter '" + key + "': '" + PathGuard.printable(v)
                    + "' (expected: true or false)");
        };
    }

    /**
     * The name an exact {@code metadata.name} field selector requires, or "" (the apiserver's RequiresExactMatch,
     * read by {@link FieldSelector}); a selector the apiserver could not parse is refused.
     */
    public String fieldSelectorName() {
        String selector = first("fieldSelector");
        if (selector == null || selector.isEmpty()) {
            return "";
        }
        String found = FieldSelector.exactName(selector);
        // Only a value that is a valid path segment name becomes the request's name (as in the apiserver).
        if (found.equals(".") || found.equals("..") || found.contains("/") || found.contains("%")) {
            return "";
        }
        return found;
    }

    /**
     * Go's {@code url.QueryUnescape} ('+' is a space, '%' takes exactly two hex digits), refusing what Go would
     * drop or keep as raw bytes: a malformed escape (Java's URLDecoder takes {@code %+1} and {@code %-0}) and bytes
     * that are not UTF-8 (URLDecoder turns them into U+FFFD).
     */
    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? hex(s.charAt(i + 1)) : -1;
                int lo = i + 2 < s.length() ? hex(s.charAt(i + 2)) : -1;
                if (hi < 0 || lo < 0) {
                    throw GatewayException.badRequest("malformed escape in the query string (expected: '%' and two"
                            + " hex digits)");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                bytes.write(c); // ASCII: parse refused anything else
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw GatewayException.badRequest("the query string decodes to bytes that are not UTF-8");
        }
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
