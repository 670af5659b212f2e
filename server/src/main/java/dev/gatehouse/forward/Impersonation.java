package dev.gatehouse.forward;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import dev.gatehouse.identity.Identity;
import io.vertx.core.MultiMap;

/**
 * Carries the authenticated identity to the cluster as impersonation headers: {@code Impersonate-User},
 * one {@code Impersonate-Group} per group, {@code Impersonate-Uid} when known, and the Gatehouse request id
 * as the extra {@code gatehouse.dev/request-id}, so the cluster's audit log joins ours. Extra keys are
 * lower case and percent-encoded as the apiserver expects.
 */
public final class Impersonation {
    /** The user-extra key that carries the Gatehouse request id. */
    public static final String REQUEST_ID_EXTRA = "gatehouse.dev/request-id";

    private Impersonation() {
    }

    public static void apply(Identity identity, String requestId, MultiMap upstreamHeaders) {
        upstreamHeaders.add("Impersonate-User", identity.user());
        for (String group : identity.groups()) {
            upstreamHeaders.add("Impersonate-Group", group);
        }
        if (!identity.uid().isEmpty()) {
            upstreamHeaders.add("Impersonate-Uid", identity.uid());
        }
        upstreamHeaders.add(extraHeader(REQUEST_ID_EXTRA), requestId);
    }

    /** {@code Impersonate-Extra-<key>} with the key percent-encoded (e.g. {@code gatehouse.dev%2frequest-id}). */
    public static String extraHeader(String key) {
        return "Impersonate-Extra-" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "%2f");
    }
}
