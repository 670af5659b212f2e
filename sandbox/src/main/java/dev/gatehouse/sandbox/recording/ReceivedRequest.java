package dev.gatehouse.sandbox.recording;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One request as the sandbox received it, before authentication: what a gateway test asserts about the upstream
 * (impersonation headers present, the client's own Authorization absent, the path as forwarded).
 *
 * @param time     when the body had been read
 * @param method   HTTP method
 * @param rawPath  the path exactly as sent, percent-encoding kept
 * @param query    the raw query string, {@code ""} when none
 * @param headers  every header with all its values, names case-insensitive
 * @param bodySize body length in bytes
 * @param protocol {@code HTTP/1.1} or {@code HTTP/2}
 * @param bodySha256 hex SHA-256 of the body as received (so a test can tell the exact bytes that arrived)
 */
public record ReceivedRequest(Instant time, String method, String rawPath, String query,
                              Map<String, List<String>> headers, int bodySize, String protocol, String bodySha256) {
    /** Without the body's hash (tests that build one by hand). */
    public ReceivedRequest(Instant time, String method, String rawPath, String query,
                           Map<String, List<String>> headers, int bodySize, String protocol) {
        this(time, method, rawPath, query, headers, bodySize, protocol, "");
    }

    public ReceivedRequest {
        bodySha256 = bodySha256 == null ? "" : bodySha256;
        Objects.requireNonNull(time, "time");
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> copy.merge(k, List.copyOf(v), (a, b) -> {
            List<String> all = new java.util.ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        }));
        headers = java.util.Collections.unmodifiableMap(copy);
        query = query == null ? "" : query;
    }

    /** The first value of a header, or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** All values of a header (empty when absent). */
    public List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    public boolean hasHeader(String name) {
        return headers.containsKey(name);
    }

    /** {@code rawPath} plus {@code ?query} when there is one. */
    public String uri() {
        return query.isEmpty() ? rawPath : rawPath + "?" + query;
    }

    /** A short line for test failure messages; Authorization values are masked. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(method).append(' ').append(uri()).append(" (").append(protocol)
                .append(", ").append(bodySize).append(" bytes) ");
        Map<String, List<String>> shown = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> shown.put(k, k.toLowerCase(Locale.ROOT).equals("authorization")
                ? v.stream().map(ReceivedRequest::mask).toList() : v));
        return out.append(shown).toString();
    }

    private static String mask(String authorization) {
        int space = authorization.indexOf(' ');
        return (space > 0 ? authorization.substring(0, space + 1) : "") + "<masked>";
    }
}
