package dev.gatehouse.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.gatehouse.status.GatewayException;
import dev.gatehouse.status.KubeStatus;
import io.vertx.core.MultiMap;

/**
 * A protocol upgrade the gateway can bridge and record: exec, attach or port-forward of a pod, over WebSocket
 * ({@code GET}, RFC 6455) or SPDY/3.1 ({@code POST}), offering only subprotocols whose frames the session bridge
 * decodes. Offered subprotocols the gateway does not know are dropped before the request goes upstream, so the
 * cluster can only choose one the recording understands; when none is left the request is refused. Everything else
 * that asks for an upgrade is refused with a Status: other resources, other upgrade types, HTTP/2, extensions.
 *
 * @param kind      how the connection is upgraded
 * @param protocols the offered subprotocols the gateway forwards, in the client's order
 */
public record Upgrade(Kind kind, List<String> protocols) {
    public enum Kind { WEBSOCKET, SPDY }

    /** Subprotocols of exec and attach over WebSocket. */
    public static final Set<String> CHANNEL_PROTOCOLS = Set.of("v5.channel.k8s.io", "v4.channel.k8s.io",
            "v4.base64.channel.k8s.io", "channel.k8s.io", "base64.channel.k8s.io");
    /** Port-forward over WebSocket: SPDY/3.1 frames tunnelled in binary messages. */
    public static final String PORTFORWARD_WEBSOCKET = "SPDY/3.1+portforward.k8s.io";
    /** {@code X-Stream-Protocol-Version}s of exec and attach over SPDY. */
    public static final Set<String> SPDY_CHANNEL_PROTOCOLS = Set.of("v5.channel.k8s.io", "v4.channel.k8s.io",
            "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io");
    public static final String PORTFORWARD_SPDY = "portforward.k8s.io";

    public boolean portForward() {
        return protocols.contains(PORTFORWARD_WEBSOCKET) || protocols.contains(PORTFORWARD_SPDY);
    }

    /**
     * The upgrade a request asks for, null when it asks for none.
     *
     * @throws GatewayException when it asks for an upgrade the gateway cannot bridge and record
     */
    public static Upgrade of(String method, MultiMap headers, boolean http2, RequestInfo info) {
        String upgrade = headers.get("Upgrade");
        boolean connectionUpgrade = tokens(headers.getAll("Connection")).stream()
                .anyMatch(t -> t.equalsIgnoreCase("upgrade"));
        if (upgrade == null && !connectionUpgrade) {
            return null;
        }
        if (http2) {
            throw GatewayException.badRequest("protocol upgrades need HTTP/1.1");
        }
        if (upgrade == null || !connectionUpgrade || headers.getAll("Upgrade").size() != 1) {
            throw GatewayException.badRequest("a protocol upgrade needs exactly one Upgrade header and "
                    + "\"Connection: Upgrade\"");
        }
        String subresource = info.resourceRequest() && info.resource().equals("pods") && !info.name().isEmpty()
                ? info.subresource() : "";
        if (!Set.of("exec", "attach", "portforward").contains(subresource)) {
            throw new GatewayException(KubeStatus.of(501, "Gatehouse bridges protocol upgrades only for pods/exec, "
                    + "pods/attach and pods/portforward"));
        }
        boolean portForward = subresource.equals("portforward");
        if (upgrade.equalsIgnoreCase("websocket")) {
            if (!method.equals("GET")) {
                throw GatewayException.badRequest("a WebSocket upgrade must be a GET");
            }
            if (!"13".equals(headers.get("Sec-WebSocket-Version")) || headers.getAll("Sec-WebSocket-Key").size() != 1
                    || !validKey(headers.get("Sec-WebSocket-Key"))) {
                throw GatewayException.badRequest("a WebSocket upgrade needs Sec-WebSocket-Version 13 and one valid "
                        + "Sec-WebSocket-Key");
            }
            Set<String> known = portForward ? Set.of(PORTFORWARD_WEBSOCKET) : CHANNEL_PROTOCOLS;
            return new Upgrade(Kind.WEBSOCKET, offered(headers.getAll("Sec-WebSocket-Protocol"), known,
                    "Sec-WebSocket-Protocol"));
        }
        if (upgrade.equalsIgnoreCase("SPDY/3.1")) {
            if (!method.equals("POST") && !method.equals("GET")) {
                throw GatewayException.badRequest("a SPDY upgrade must be a POST");
            }
            Set<String> known = portForward ? Set.of(PORTFORWARD_SPDY) : SPDY_CHANNEL_PROTOCOLS;
            return new Upgrade(Kind.SPDY, offered(headers.getAll("X-Stream-Protocol-Version"), known,
                    "X-Stream-Protocol-Version"));
        }
        throw GatewayException.badRequest("unknown upgrade \"" + upgrade + "\": Gatehouse bridges websocket and "
                + "SPDY/3.1");
    }

    private static List<String> offered(List<String> values, Set<String> known, String header) {
        List<String> kept = new ArrayList<>();
        for (String token : tokens(values)) {
            if (known.contains(token) && !kept.contains(token)) {
                kept.add(token);
            }
        }
        if (kept.isEmpty()) {
            throw GatewayException.badRequest("no subprotocol in " + header + " " + tokens(values)
                    + " is one Gatehouse records (known: " + known.stream().sorted().toList() + ")");
        }
        return List.copyOf(kept);
    }

    private static List<String> tokens(List<String> values) {
        List<String> tokens = new ArrayList<>();
        for (String value : values) {
            for (String token : value.split(",")) {
                String t = token.trim();
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        return tokens;
    }

    private static boolean validKey(String key) {
        try {
            return java.util.Base64.getDecoder().decode(key.trim()).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + protocols;
    }
}
