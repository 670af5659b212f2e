package dev.gatehouse.sandbox.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.vertx.core.MultiMap;

/**
 * Who a request acts as: the token's user, or the user it impersonates through the {@code Impersonate-*} headers
 * (which the sandbox, unlike RBAC, always allows).
 *
 * @param extra {@code Impersonate-Extra-<key>} values by lower-case, unescaped key
 */
public record Identity(String username, String uid, List<String> groups, Map<String, List<String>> extra,
                       boolean impersonated) {
    private static final String EXTRA = "impersonate-extra-";

    public Identity {
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
    }

    /** The identity a request acts as, given the user its bearer token authenticated. */
    public static Identity of(Identity authenticated, MultiMap headers) {
        String user = headers.get("Impersonate-User");
        if (user == null || user.isEmpty()) {
            return authenticated;
        }
        List<String> groups = new ArrayList<>(headers.getAll("Impersonate-Group"));
        if (!groups.contains("system:authenticated")) {
            groups.add("system:authenticated");
        }
        Map<String, List<String>> extra = new TreeMap<>();
        for (Map.Entry<String, String> h : headers.entries()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(EXTRA)) {
                String key = URLDecoder.decode(name.substring(EXTRA.length()), StandardCharsets.UTF_8);
                extra.computeIfAbsent(key, k -> new ArrayList<>()).add(h.getValue());
            }
        }
        String uid = headers.get("Impersonate-Uid");
        return new Identity(user, uid == null ? "" : uid, groups, extra, true);
    }
}
