package dev.gatehouse.classify;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An independent model of how the apiserver reads a request's bytes, the differential oracle of the classify fuzz
 * targets: Go's {@code url.PathUnescape}, {@code path.Clean} and {@code url.ParseQuery}, apimachinery's
 * {@code fields.ParseSelector} and {@code Convert_Slice_string_To_bool}, and {@code RequestInfoFactory.NewRequestInfo}
 * (apiserver {@code pkg/endpoints/request/requestinfo.go}, with the ListOptions decoding of recent releases and the
 * 1.35 rule that a WebSocket exec/attach/portforward GET is authorized as create). Written from the Go sources, not
 * from the gateway's classes, so the two can disagree. Strings of bytes are Java strings with one char per byte
 * (ISO-8859-1), since Go keeps the bytes a query decodes to whether or not they are UTF-8.
 */
final class ApiServerReading {
    private static final Set<String> SPECIAL_VERBS = Set.of("proxy", "watch");
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");
    private static final Set<String> SESSION_SUBRESOURCES = Set.of("exec", "attach", "portforward");

    /** What {@code NewRequestInfo} returned; {@code error} true when it returned an error (the request fails). */
    record Info(boolean error, boolean resourceRequest, String verb, String apiPrefix, String apiGroup,
                String apiVersion, String namespace, String resource, String subresource, String name) {
        static Info failed() {
            return new Info(true, false, "", "", "", "", "", "", "", "");
        }

        static Info of(RequestInfo i) {
            return new Info(false, i.resourceRequest(), i.verb(), i.apiPrefix(), i.apiGroup(), i.apiVersion(),
                    i.namespace(), i.resource(), i.subresource(), bytes(i.name()));
        }
    }

    private ApiServerReading() {
    }

    /** A Java string as Go's bytes (UTF-8), one char per byte. */
    static String bytes(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** Go's {@code url.PathUnescape}: the bytes, or null on a malformed escape. */
    static String pathUnescape(String s) {
        return unescape(s, false);
    }

    private static String unescape(String s, boolean query) {
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '%') {
                if (i + 2 >= in.length || hex(in[i + 1]) < 0 || hex(in[i + 2]) < 0) {
                    return null;
                }
                out.write(hex(in[i + 1]) << 4 | hex(in[i + 2]));
                i += 2;
            } else if (b == '+' && query) {
                out.write(' ');
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** Go's {@code path.Clean}. */
    static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.charAt(0) == '/';
        Deque<String> out = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!out.isEmpty() && !out.peekLast().equals("..")) {
                    out.removeLast();
                } else if (!rooted) {
                    out.addLast("..");
                }
                continue;
            }
            out.addLast(segment);
        }
        String joined = String.join("/", out);
        return rooted ? "/" + joined : joined.isEmpty() ? "." : joined;
    }

    /** The apiserver's {@code splitPath}: trimmed of '/', split on '/'. */
    static List<String> splitPath(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return start == end ? List.of() : Arrays.asList(path.substring(start, end).split("/", -1));
    }

    /** Go's {@code url.ParseQuery} as {@code URL.Query()} uses it: pairs with ';' or a bad escape are dropped. */
    static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String pair : raw.split("&", -1)) {
            if (pair.contains(";") || pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = unescape(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = unescape(eq < 0 ? "" : pair.substring(eq + 1), true);
            if (key == null || value == null) {
                continue;
            }
            m.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return m;
    }

    /** apimachinery's {@code Convert_Slice_string_To_bool}: only absent, "0" and any-case "false" are false. */
    static boolean bool(List<String> values) {
        return values != null && !values.isEmpty() && !values.get(0).equals("0")
                && !values.get(0).equalsIgnoreCase("false");
    }

    /** The name a {@code fields.ParseSelector(selector).RequiresExactMatch("metadata.name")} finds; null on a parse error. */
    static String exactName(String selector) {
        List<String> terms = new ArrayList<>();
        if (!selector.isEmpty()) {
            int start = 0;
            boolean slash = false;
            for (int i = 0; i < selector.length(); i++) {
                char c = selector.charAt(i);
                if (slash) {
                    slash = false;
                } else if (c == '\\') {
                    slash = true;
                } else if (c == ',') {
                    terms.add(selector.substring(start, i));
                    start = i + 1;
                }
            }
            terms.add(selector.substring(start));
        }
        terms.sort(null); // Go sorts the terms (byte order; chars here are bytes)
        String found = "";
        boolean matched = false;
        for (String term : terms) {
            if (term.isEmpty()) {
                continue;
            }
            String[] split = splitTerm(term);
            if (split == null) {
                return null;
            }
            String value = unescapeValue(split[2]);
            if (value == null) {
                return null;
            }
            if (!split[1].equals("!=") && split[0].equals("metadata.name") && !matched) {
                found = value;
                matched = true;
            }
        }
        return found;
    }

    private static String[] splitTerm(String term) {
        for (int i = 0; i < term.length(); i++) {
            for (String op : new String[] {"!=", "==", "="}) {
                if (term.startsWith(op, i)) {
                    return new String[] {term.substring(0, i), op, term.substring(i + op.length())};
                }
            }
        }
        return null;
    }

    private static String unescapeValue(String s) {
        StringBuilder v = new StringBuilder();
        boolean slash = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (slash) {
                if (c != '\\' && c != ',' && c != '=') {
                    return null;
                }
                v.append(c);
                slash = false;
            } else if (c == '\\') {
                slash = true;
            } else if (c == ',' || c == '=') {
                return null;
            } else {
                v.append(c);
            }
        }
        return slash ? null : v.toString();
    }

    /** {@code RequestInfoFactory.NewRequestInfo} for prefixes {@code api} (groupless) and {@code apis}. */
    static Info requestInfo(String method, String path, String rawQuery) {
        String lower = method.toLowerCase(java.util.Locale.ROOT);
        Info nonResource = new Info(false, false, lower, "", "", "", "", "", "", "");
        List<String> parts = splitPath(path);
        if (parts.size() < 3 || !(parts.get(0).equals("api") || parts.get(0).equals("apis"))) {
            return nonResource;
        }
        String prefix = parts.get(0);
        parts = parts.subList(1, parts.size());
        String group = "";
        if (prefix.equals("apis")) {
            if (parts.size() < 3) {
                return nonResource;
            }
            group = parts.get(0);
            parts = parts.subList(1, parts.size());
        }
        String version = parts.get(0);
        parts = parts.subList(1, parts.size());
        String verb;
        if (SPECIAL_VERBS.contains(parts.get(0))) {
            if (parts.size() < 2) {
                return Info.failed();
            }
            verb = parts.get(0);
            parts = parts.subList(1, parts.size());
        } else {
            verb = switch (method) {
                case "POST" -> "create";
                case "GET", "HEAD" -> "get";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default -> "";
            };
        }
        String namespace = "";
        if (parts.get(0).equals("namespaces") && parts.size() > 1) {
            namespace = parts.get(1);
            if (parts.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
                parts = parts.subList(2, parts.size());
            }
        }
        String subresource = parts.size() >= 3 && !verb.equals("proxy") ? parts.get(2) : "";
        String name = parts.size() >= 2 ? parts.get(1) : "";
        String resource = parts.get(0);
        if (name.isEmpty() && verb.equals("get")) {
            Map<String, List<String>> query = parseQuery(rawQuery);
            verb = bool(query.get("watch")) ? "watch" : "list";
            List<String> selectors = query.get("fieldSelector");
            String selected = selectors == null ? "" : exactName(selectors.get(0));
            // a selector that does not parse fails DecodeParameters: the options are reset, only watch is kept
            if (selected != null && !selected.equals(".") && !selected.equals("..")
                    && !selected.contains("/") && !selected.contains("%")) {
                name = selected;
            }
        }
        if (name.isEmpty() && verb.equals("delete")) {
            verb = "deletecollection";
        }
        if (verb.equals("get") && resource.equals("pods") && SESSION_SUBRESOURCES.contains(subresource)) {
            verb = "create";
        }
        return new Info(false, true, verb, prefix, group, version, namespace, resource, subresource, name);
    }
}
