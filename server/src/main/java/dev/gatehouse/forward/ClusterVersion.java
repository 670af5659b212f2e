package dev.gatehouse.forward;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A cluster's Kubernetes version as its apiserver reports it at {@code GET /version}: {@code major}, {@code minor}
 * (some providers write {@code "20+"}; the digits count) and {@code gitVersion} (e.g. {@code v1.20.2}), and what
 * follows from it for sessions: which subresources the cluster serves over WebSocket.
 *
 * @param gitVersion the reported {@code gitVersion}, printable ASCII only and at most 64 characters (else
 *                   {@code v<major>.<minor>}), fit to quote in a message
 */
public record ClusterVersion(int major, int minor, String gitVersion) {
    /** The first minor of Kubernetes 1 that serves exec and attach over WebSocket ({@code v5.channel.k8s.io}). */
    public static final int WEBSOCKET_EXEC_MINOR = 30;
    /** The first minor of Kubernetes 1 that serves port-forward over WebSocket ({@code SPDY/3.1+portforward}). */
    public static final int WEBSOCKET_PORTFORWARD_MINOR = 31;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_NUMBER_DIGITS = 4;

    public ClusterVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("version " + major + "." + minor + " (expected: non-negative numbers)");
        }
        gitVersion = printable(gitVersion) ? gitVersion : "v" + major + "." + minor;
    }

    /**
     * Whether the cluster serves {@code subresource} (exec, attach, portforward) of a pod over WebSocket: exec and
     * attach from 1.30, port-forward from 1.31. Anything else is not a session and answers false.
     */
    public boolean servesWebSocket(String subresource) {
        int from = switch (subresource) {
            case "exec", "attach" -> WEBSOCKET_EXEC_MINOR;
            case "portforward" -> WEBSOCKET_PORTFORWARD_MINOR;
            default -> Integer.MAX_VALUE;
        };
        return major > 1 || (major == 1 && minor >= from);
    }

    /**
     * The version in a {@code /version} document, or empty when it is not one: not JSON, or {@code major}/{@code
     * minor} missing, not strings of 1–4 digits (a trailing {@code +} allowed on either).
     */
    public static Optional<ClusterVersion> parse(byte[] document) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        Optional<Integer> major = number(root.get("major"));
        Optional<Integer> minor = number(root.get("minor"));
        if (major.isEmpty() || minor.isEmpty()) {
            return Optional.empty();
        }
        JsonNode git = root.get("gitVersion");
        return Optional.of(new ClusterVersion(major.get(), minor.get(), git != null && git.isTextual() ? git.asText()
                : null));
    }

    /** "20", "20+" → 20; anything else (a number type, "", "2x", "-1", "99999") → empty. */
    private static Optional<Integer> number(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return Optional.empty();
        }
        String text = node.asText();
        String digits = text.endsWith("+") ? text.substring(0, text.length() - 1) : text;
        if (digits.isEmpty() || digits.length() > MAX_NUMBER_DIGITS
                || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(digits));
    }

    private static boolean printable(String text) {
        return text != null && !text.isEmpty() && text.length() <= 64
                && text.chars().allMatch(c -> c > ' ' && c < 127 && c != '"' && c != '\\');
    }

    @Override
    public String toString() {
        return gitVersion;
    }
}
