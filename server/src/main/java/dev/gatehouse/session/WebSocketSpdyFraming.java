package dev.gatehouse.session;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;

/**
 * port-forward over WebSocket ({@code SPDY/3.1+portforward.k8s.io}): SPDY/3.1 frames carried in binary messages.
 * The WebSocket frames are relayed whole; their payloads are read by {@link SpdyStreams}. Only the cluster's close
 * frame is held.
 */
final class WebSocketSpdyFraming implements Framing {
    private final WebSocketFrames clientFrames;
    private final WebSocketFrames clusterFrames;
    private boolean clusterClosing;
    private final SpdyStreams spdy;

    WebSocketSpdyFraming(SessionEvents events, int maxFrameBytes) {
        this.clientFrames = new WebSocketFrames(true, maxFrameBytes);
        this.clusterFrames = new WebSocketFrames(false, maxFrameBytes);
        this.spdy = new SpdyStreams(true, events);
    }

    @Override
    public void fromClient(Buffer bytes, Consumer<Buffer> relay) {
        clientFrames.feed(bytes, frame -> {
            read(true, frame);
            relay.accept(frame.raw());
        });
    }

    @Override
    public void fromCluster(Buffer bytes, Consumer<Buffer> relay, Consumer<Buffer> hold) {
        clusterFrames.feed(bytes, frame -> {
            read(false, frame);
            clusterClosing |= frame.opcode() == WebSocketFrames.CLOSE;
            (frame.opcode() == WebSocketFrames.CLOSE ? hold : relay).accept(frame.raw());
        });
    }

    private void read(boolean fromClient, WebSocketFrames.Frame frame) {
        if (frame.control() || frame.payload().length == 0) {
            return;
        }
        if (frame.opcode() == WebSocketFrames.TEXT) {
            throw new FrameException("a text message in a port-forward tunnel");
        }
        spdy.feed(fromClient, Buffer.buffer(frame.payload()));
    }

    @Override
    public boolean clusterClosing() {
        return clusterClosing;
    }

    @Override
    public Buffer goodbye(byte[] statusJson) {
        return WebSocketFrames.serverFrame(WebSocketFrames.CLOSE, ByteBuffer.allocate(2).putShort((short) 1000).array());
    }

    @Override
    public void close() {
        spdy.close();
    }
}
