package dev.gatehouse.classify;

import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.status.GatewayException;

/**
 * Refuses request paths that the apiserver could decode or route differently from how the gateway reads
 * them. The apiserver percent-decodes paths (it serves {@code /api/v1/namespaces/default%2Fsecrets} as a
 * Secrets list), so any percent-encoding is refused: valid Kubernetes names never need it, and kubectl never
 * sends it. Dot segments, empty segments, backslashes, semicolons, control and non-ASCII characters are
 * refused too.
 */
public final class PathGuard {
    private PathGuard() {
    }

    /** Throws a 400 {@link GatewayException} unless {@code rawPath} is unambiguous; returns it unchanged. */
    public static String check(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            throw GatewayException.badRequest("request path must start with '/'");
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%') {
                throw GatewayException.badRequest(
                        "percent-encoded characters in the request path are not accepted: " + printable(rawPath));
            }
            if (!allowed(c)) {
                throw GatewayException.badRequest("character " + describe(c)
                        + " is not accepted in the request path: " + printable(rawPath));
            }
        }
        if (rawPath.length() > 1) {
            String body = rawPath.substring(1);
            for (String segment : body.split("/", -1)) {
                if (segment.isEmpty()) {
                    throw GatewayException.badRequest("empty path segments ('//' or a trailing '/') are not accepted: "
                            + printable(rawPath));
                }
                if (segment.equals(".") || segment.equals("..")) {
                    throw GatewayException.badRequest("dot segments are not accepted in the request path: "
                            + printable(rawPath));
                }
            }
        }
        return rawPath;
    }

    /** The segments of a checked path ({@code "/"} has none). */
    static List<String> segments(String checkedPath) {
        List<String> out = new ArrayList<>();
        if (checkedPath.length() > 1) {
            for (String s : checkedPath.substring(1).split("/")) {
                out.add(s);
            }
        }
        return out;
    }

    private static boolean allowed(char c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return true;
        }
        // RFC 3986 pchar (unreserved, sub-delims, ':' and '@') and '/', minus ';' which some routers split on.
        return "-._~!$&'()*+,=:@/".indexOf(c) >= 0;
    }

    private static String describe(char c) {
        return c < 0x20 || c == 0x7f ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c >= 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
