package dev.gatehouse.session;

import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;

/**
 * How one upgraded protocol is relayed: bytes in, whole frames out, every frame decoded for the recording on the
 * way. A frame that would tell the client the session is over (the runtime's final Status, a close frame, GOAWAY)
 * goes to {@code hold} instead of {@code relay}: the session sends it only once the session's end is recorded, as
 * an ordinary response's end waits for its evidence.
 */
interface Framing {
    void fromClient(Buffer bytes, Consumer<Buffer> relay);

    void fromCluster(Buffer bytes, Consumer<Buffer> relay, Consumer<Buffer> hold);

    /** What tells the client why the gateway ended its session ({@code statusJson} a Kubernetes Status). */
    Buffer goodbye(byte[] statusJson);

    /** True once the cluster has begun closing the session (a WebSocket close frame, a SPDY GOAWAY). */
    default boolean clusterClosing() {
        return false;
    }

    default void close() {
    }
}
