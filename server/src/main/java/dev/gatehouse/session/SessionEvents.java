package dev.gatehouse.session;

/**
 * What the protocol decoders learn from a session's frames, channel by channel. Implemented by the recording;
 * called on the session's event loop, in the order the frames were relayed.
 */
public interface SessionEvents {
    void stdin(byte[] data);

    void stdout(byte[] data);

    void stderr(byte[] data);

    /** The final {@code Status} the container's runtime sent on the error channel (or an error text). */
    void status(byte[] data);

    void resize(int width, int height);

    /** A port-forward connection opened a stream of {@code kind} (data or error) for {@code port}. */
    void forwardStream(String requestId, int port, String kind);

    /** Bytes of a forwarded connection; {@code toPod} for client-to-pod. */
    void forwardData(String requestId, boolean toPod, byte[] data);

    /** Text the kubelet sent on a forwarded connection's error stream. */
    void forwardError(String requestId, byte[] data);

    /** A forwarded connection's stream ended (closed by either side, or reset). */
    void forwardClosed(String requestId);
}
