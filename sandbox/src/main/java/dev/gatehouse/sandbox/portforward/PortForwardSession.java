package dev.gatehouse.sandbox.portforward;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import dev.gatehouse.sandbox.spdy.SpdyConnection;

/**
 * One {@code kubectl port-forward} connection ({@code portforward.k8s.io}), as the kubelet serves it: every
 * forwarded local connection opens two streams with the same {@code requestid} and {@code port} headers,
 * {@code streamtype: error} and {@code streamtype: data}. Once both are open the data stream is joined to a TCP
 * connection to the port's target; what goes wrong (an unknown port, a refused connection) is written as text on
 * the error stream, and both streams are half-closed. A stream of another type ends the SPDY connection.
 */
public final class PortForwardSession implements SpdyConnection.Listener {
    /** The {@code X-Stream-Protocol-Version} served. */
    public static final String PROTOCOL = "portforward.k8s.io";
    /** The WebSocket subprotocol whose binary messages carry the SPDY bytes. */
    public static final String WEBSOCKET_PROTOCOL = "SPDY/3.1+" + PROTOCOL;

    private final SpdyConnection connection;
    private final NetClient client;
    private final String pod;
    private final String uid;
    private final Map<Integer, InetSocketAddress> targets;
    private final Map<String, Forward> byRequest = new HashMap<>();
    private final Map<Integer, Forward> byStream = new HashMap<>();

    /**
     * @param targets container port → where its connections go
     */
    public PortForwardSession(SpdyConnection connection, NetClient client, String pod, String uid,
                              Map<Integer, InetSocketAddress> targets) {
        this.connection = connection;
        this.client = client;
        this.pod = pod;
        this.uid = uid;
        this.targets = Map.copyOf(targets);
        connection.listen(this);
    }

    /** One forwarded connection: its two streams and, once connected, its TCP socket. */
    private static final class Forward {
        final String port;
        Integer error;
        Integer data;
        NetSocket socket;
        final List<byte[]> pending = new ArrayList<>();
        boolean clientDone;
        boolean ended;

        Forward(String port) {
            this.port = port;
        }
    }

    @Override
    public void opened(int streamId, Map<String, String> headers) {
        String type = headers.getOrDefault("streamtype", "");
        if (!type.equals("error") && !type.equals("data")) {
            connection.protocolError("stream " + streamId + ": invalid streamtype \"" + type + "\"");
            return;
        }
        String requestId = headers.getOrDefault("requestid", "");
        Forward forward = byRequest.computeIfAbsent(requestId, id -> new Forward(headers.getOrDefault("port", "")));
        if (type.equals("error") ? forward.error != null : forward.data != null) {
            connection.protocolError("stream " + streamId + ": a second " + type + " stream for request "
                    + requestId);
            return;
        }
        if (type.equals("error")) {
            forward.error = streamId;
        } else {
            forward.data = streamId;
        }
        byStream.put(streamId, forward);
        connection.reply(streamId, Map.of("streamtype", type));
        if (forward.error != null && forward.data != null) {
            byRequest.remove(requestId);
            connect(forward);
        }
    }

    private void connect(Forward forward) {
        int port;
        try {
            port = Integer.parseInt(forward.port);
        } catch (NumberFormatException e) {
            fail(forward, "invalid port header \"" + forward.port + "\"");
            return;
        }
        InetSocketAddress target = targets.get(port);
        if (target == null) {
            fail(forward, "error forwarding port " + port + " to pod " + pod + ", uid " + uid + ": nothing listens "
                    + "on port " + port + " in the sandbox (forwarded ports: " + targets.keySet() + ")");
            return;
        }
        client.connect(target.getPort(), target.getHostString()).onComplete(result -> {
            if (result.failed()) {
                fail(forward, "error forwarding port " + port + " to pod " + pod + ", uid " + uid + ": failed to "
                        + "connect to " + target.getHostString() + ":" + target.getPort() + ": "
                        + result.cause().getMessage());
            } else if (forward.ended || connection.isClosed()) {
                result.result().close();
            } else {
                joined(forward, result.result());
            }
        });
    }

    private void joined(Forward forward, NetSocket socket) {
        forward.socket = socket;
        socket.handler(bytes -> connection.write(forward.data, bytes.getBytes()));
        socket.closeHandler(v -> end(forward));
        forward.pending.forEach(bytes -> socket.write(Buffer.buffer(bytes)));
        forward.pending.clear();
        if (forward.clientDone) {
            socket.end();
        }
    }

    private void fail(Forward forward, String message) {
        if (forward.ended) {
            return; // the client reset the streams meanwhile
        }
        connection.write(forward.error, message.getBytes(StandardCharsets.UTF_8));
        end(forward);
    }

    private void end(Forward forward) {
        if (forward.ended) {
            return;
        }
        forward.ended = true;
        if (!connection.isClosed()) {
            connection.finish(forward.data);
            connection.finish(forward.error);
        }
        if (forward.socket != null) {
            forward.socket.close();
        }
    }

    @Override
    public void data(int streamId, byte[] data) {
        Forward forward = byStream.get(streamId);
        if (forward == null || forward.ended || forward.data == null || forward.data != streamId) {
            return;
        }
        if (forward.socket == null) {
            forward.pending.add(data);
        } else {
            forward.socket.write(Buffer.buffer(data));
        }
    }

    @Override
    public void halfClosed(int streamId) {
        Forward forward = byStream.get(streamId);
        if (forward == null || forward.data == null || forward.data != streamId) {
            return; // kubectl half-closes the error stream at once
        }
        forward.clientDone = true;
        if (forward.socket != null) {
            forward.socket.end();
        }
    }

    @Override
    public void reset(int streamId) {
        Forward forward = byStream.remove(streamId);
        if (forward != null && !forward.ended) {
            forward.ended = true; // kubectl resets both streams once it is done with a connection
            if (forward.socket != null) {
                forward.socket.close();
            }
        }
    }

    @Override
    public void closed() {
        byStream.values().stream().filter(f -> f.socket != null).forEach(f -> f.socket.close());
        byStream.clear();
        byRequest.clear();
    }
}
