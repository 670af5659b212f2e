package dev.gatehouse.sandbox.exec;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The streams of one {@code exec} or {@code attach} as a session sees them, whatever carries them: the channel
 * protocol over WebSocket ({@link WebSocketStreams}) or one SPDY stream per kind ({@link SpdyStreams}).
 */
public interface RemoteStreams {
    /** What the client sends. Called on the transport's event loop. */
    interface Input {
        void stdin(byte[] data);

        /** The client will send no more standard input. */
        void stdinClosed();

        /** The connection ended, whoever ended it. */
        void closed();
    }

    /** Starts delivering the client's input; call once, when the session is ready for it. */
    void input(Input input);

    void stdout(byte[] data);

    void stderr(byte[] data);

    /** Writes the final {@code Status} on the error stream and ends every stream; nothing may be written after. */
    void end(ObjectNode status);
}
