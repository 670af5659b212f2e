package dev.gatehouse.sandbox.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a request is about, read from its path the way the apiserver's {@code RequestInfoFactory} reads it: the
 * path is percent-decoded first, so {@code /api/v1/namespaces/default%2Fsecrets} is a list of Secrets in
 * {@code default}, exactly as a real apiserver serves it.
 *
 * @param resourceRequest whether the path names a resource (else: discovery, version, openapi, ...)
 * @param path            the decoded path
 * @param verb            get, list, watch, create, update, patch, delete, deletecollection (resource requests)
 */
public record RequestInfo(boolean resourceRequest, String path, String verb, String group, String version,
                          String namespace, String resource, String name, String subresource) {
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    /**
     * Parses a request; {@code watch} is the first value of the watch query parameter, or null, read as
     * {@link QueryFlags} reads booleans.
     */
    public static RequestInfo parse(String method, String rawPath, String watch) {
        String path = decode(rawPath);
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        String group;
        String version;
        int rest;
        if (parts.size() >= 3 && parts.get(0).equals("api")) {
            group = "";
            version = parts.get(1);
            rest = 2;
        } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            version = parts.get(2);
            rest = 3;
        } else {
            return new RequestInfo(false, path, method.toLowerCase(Locale.ROOT), "", "", "", "", "", "");
        }
        List<String> p = new ArrayList<>(parts.subList(rest, parts.size()));
        boolean watchPath = false;
        if (p.get(0).equals("watch")) {
            watchPath = true;
            p.remove(0);
        }
        String namespace = "";
        if (!p.isEmpty() && p.get(0).equals("namespaces") && p.size() > 1) {
            namespace = p.get(1);
            if (p.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(p.get(2))) {
                p = p.subList(2, p.size());
            }
        }
        if (p.isEmpty()) {
            return new RequestInfo(false, path, method.toLowerCase(Locale.ROOT), group, version, "", "", "", "");
        }
        String resource = p.get(0);
        String name = p.size() > 1 ? p.get(1) : "";
        String subresource = p.size() > 2 ? p.get(2) : "";
        boolean watching = watchPath || QueryFlags.isTrue(watch);
        String verb = verb(method, name.isEmpty(), watching);
        return new RequestInfo(true, path, verb, group, version, namespace, resource, name, subresource);
    }

    private static String verb(String method, boolean collection, boolean watching) {
        return switch (method.toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD" -> watching ? "watch" : collection ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> collection ? "deletecollection" : "delete";
            default -> method.toLowerCase(Locale.ROOT);
        };
    }

    /** Percent-decoding of a path ({@code +} stays a plus). */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
