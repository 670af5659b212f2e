package dev.gatehouse.session;

import java.util.List;
import java.util.function.Consumer;

import dev.gatehouse.classify.Upgrade;
import io.vertx.core.buffer.Buffer;

/**
 * How a session held for review speaks to its client before the cluster is involved: which subprotocol the gateway
 * chooses, how it answers what the client sends while waiting (pongs, the streams SPDY opens), where the pending
 * notice goes, and the frames that end the session with a Status. Everything the client sends is decoded here as
 * it arrives (what cannot be decoded ends the session, nothing goes upstream) and replayed to the cluster whole
 * once the review releases the session.
 */
sealed interface PendingProtocol permits PendingWebSocket, PendingSpdy {
    /** exec and attach over WebSocket: the newest channel protocol first (kubectl 1.30+ offers only v5). */
    List<String> WEBSOCKET_PREFERENCE = List.of("v5.channel.k8s.io", "v4.channel.k8s.io",
            "v4.base64.channel.k8s.io", "channel.k8s.io", "base64.channel.k8s.io");
    /**
     * exec and attach over SPDY: v4 first. Over SPDY v5 means the same as v4, and every kubelet since 1.5 answers
     * v4 (a 1.20 kubelet answers kubectl's v5 … channel.k8s.io offer with v4 and would refuse v5 alone).
     */
    List<String> SPDY_PREFERENCE = List.of("v4.channel.k8s.io", "v5.channel.k8s.io", "v3.channel.k8s.io",
            "v2.channel.k8s.io", "channel.k8s.io");

    /**
     * Reads bytes the client sent while the session waits.
     *
     * @param toClient where the gateway's own answers go (a pong, a SYN_REPLY, the notice once its stream opened)
     * @return true when the client has begun closing the session (a WebSocket close, a SPDY GOAWAY)
     * @throws FrameException when the bytes cannot be decoded
     */
    boolean fromClient(Buffer bytes, Consumer<Buffer> toClient);

    /** What tells the user the session waits, sent right after the 101; empty when it has to wait for a stream. */
    Buffer notice();

    /** What ends the session with {@code statusJson} (a Kubernetes Status) before it ever reached the cluster. */
    Buffer goodbye(byte[] statusJson);

    /** The spliced session's framing, adapted to what the client was already told. */
    Framing spliced(Framing framing);

    void close();

    /** The subprotocol the gateway answers with: one the client offered and the bridge decodes. */
    static String choose(Upgrade upgrade) {
        if (upgrade.portForward()) {
            return upgrade.kind() == Upgrade.Kind.WEBSOCKET ? Upgrade.PORTFORWARD_WEBSOCKET : Upgrade.PORTFORWARD_SPDY;
        }
        List<String> preference = upgrade.kind() == Upgrade.Kind.WEBSOCKET ? WEBSOCKET_PREFERENCE : SPDY_PREFERENCE;
        return preference.stream().filter(upgrade.protocols()::contains).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("offered " + upgrade.protocols() + " (expected: one of "
                        + preference + ")"));
    }

    /**
     * @param notice the pending notice's text, already ending in the line ending the terminal needs
     * @param tty    whether the session has a terminal (then it has no stderr: the notice goes to stdout)
     */
    static PendingProtocol of(Upgrade upgrade, String protocol, byte[] notice, boolean tty, int maxFrameBytes) {
        if (upgrade.kind() == Upgrade.Kind.SPDY) {
            return new PendingSpdy(upgrade.portForward(), notice, tty, maxFrameBytes);
        }
        return new PendingWebSocket(upgrade.portForward() ? null : protocol, notice, tty, maxFrameBytes);
    }

    /** Events of frames decoded only to be checked: they are recorded when they are replayed to the cluster. */
    SessionEvents IGNORED = new SessionEvents() {
        @Override
        public void stdin(byte[] data) {
        }

        @Override
        public void stdout(byte[] data) {
        }

        @Override
        public void stderr(byte[] data) {
        }

        @Override
        public void status(byte[] data) {
        }

        @Override
        public void resize(int width, int height) {
        }

        @Override
        public void forwardStream(String requestId, int port, String kind) {
        }

        @Override
        public void forwardData(String requestId, boolean toPod, byte[] data) {
        }

        @Override
        public void forwardError(String requestId, byte[] data) {
        }

        @Override
        public void forwardClosed(String requestId) {
        }
    };
}
