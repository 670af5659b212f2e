package dev.gatehouse.sandbox.exec;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import dev.gatehouse.sandbox.resource.Json;

/**
 * Exec and attach streams over a WebSocket speaking the Kubernetes channel protocol ({@code v5.channel.k8s.io},
 * or {@code v4.channel.k8s.io}): every binary message starts with a channel byte, 0 stdin, 1 stdout, 2 stderr,
 * 3 error (the final {@code Status}), 4 resize (ignored); in v5, the two bytes {@code 255 0} close stdin.
 */
public final class WebSocketStreams implements RemoteStreams {
    /** The subprotocols served, most preferred first. */
    public static final List<String> PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io");

    private static final byte STDIN = 0;
    private static final byte STDOUT = 1;
    private static final byte STDERR = 2;
    private static final byte ERROR = 3;
    private static final byte CLOSE = (byte) 255;

    private final ServerWebSocket socket;
    private boolean ended;

    public WebSocketStreams(ServerWebSocket socket) {
        this.socket = socket;
    }

    @Override
    public void input(Input input) {
        socket.binaryMessageHandler(message -> {
            if (message.length() == 0) {
                return;
            }
            byte channel = message.getByte(0);
            if (channel == STDIN) {
                input.stdin(message.getBytes(1, message.length()));
            } else if (channel == CLOSE && message.length() > 1 && message.getByte(1) == STDIN) {
                input.stdinClosed();
            }
        });
        socket.closeHandler(v -> {
            ended = true;
            input.closed();
        });
    }

    @Override
    public void stdout(byte[] data) {
        send(STDOUT, data);
    }

    @Override
    public void stderr(byte[] data) {
        send(STDERR, data);
    }

    @Override
    public void end(ObjectNode status) {
        send(ERROR, Json.bytes(status));
        if (!ended) {
            ended = true;
            socket.close((short) 1000);
        }
    }

    private void send(byte channel, byte[] data) {
        if (!ended) {
            socket.writeBinaryMessage(Buffer.buffer(data.length + 1).appendByte(channel).appendBytes(data));
        }
    }
}
