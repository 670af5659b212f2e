package dev.gatehouse.session;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;

/**
 * exec and attach over WebSocket: RFC 6455 frames both ways, messages reassembled and read as Kubernetes channel
 * messages ({@link ChannelProtocol}). The cluster's error-channel message and its close frame are held.
 */
final class WebSocketChannelFraming implements Framing {
    private final WebSocketFrames clientFrames;
    private final WebSocketFrames clusterFrames;
    private boolean clusterClosing;
    private final ChannelProtocol channels;
    private final SessionEvents events;
    private final int maxMessageBytes;
    private final Message clientMessage = new Message();
    private final Message clusterMessage = new Message();

    /** A message being reassembled from its frames. */
    private static final class Message {
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int opcode;
        boolean holding;
    }

    WebSocketChannelFraming(String subprotocol, SessionEvents events, int maxFrameBytes) {
        this.clientFrames = new WebSocketFrames(true, maxFrameBytes);
        this.clusterFrames = new WebSocketFrames(false, maxFrameBytes);
        this.channels = new ChannelProtocol(subprotocol);
        this.events = events;
        this.maxMessageBytes = maxFrameBytes;
    }

    @Override
    public void fromClient(Buffer bytes, Consumer<Buffer> relay) {
        clientFrames.feed(bytes, frame -> {
            read(true, frame, clientMessage);
            relay.accept(frame.raw());
        });
    }

    @Override
    public void fromCluster(Buffer bytes, Consumer<Buffer> relay, Consumer<Buffer> hold) {
        clusterFrames.feed(bytes, frame -> {
            clusterClosing |= frame.opcode() == WebSocketFrames.CLOSE;
            boolean held = read(false, frame, clusterMessage) || frame.opcode() == WebSocketFrames.CLOSE;
            (held ? hold : relay).accept(frame.raw());
        });
    }

    /** Reads a frame into its message; true when the frame belongs to the error channel's message. */
    private boolean read(boolean fromClient, WebSocketFrames.Frame frame, Message message) {
        if (frame.control()) {
            return false;
        }
        if (frame.opcode() != WebSocketFrames.CONTINUATION) {
            message.opcode = frame.opcode();
            message.payload.reset();
            message.holding = !fromClient && frame.payload().length > 0 && isErrorChannel(frame);
        }
        if (message.payload.size() + frame.payload().length > maxMessageBytes) {
            throw new FrameException("a WebSocket message larger than the gateway relays (" + maxMessageBytes + ")");
        }
        message.payload.writeBytes(frame.payload());
        boolean holding = message.holding;
        if (frame.fin()) {
            channels.message(fromClient, message.opcode, message.payload.toByteArray(), events);
            message.payload.reset();
        }
        return holding;
    }

    private boolean isErrorChannel(WebSocketFrames.Frame frame) {
        byte first = frame.payload()[0];
        return frame.opcode() == WebSocketFrames.TEXT ? first == '3' : first == 3;
    }

    @Override
    public boolean clusterClosing() {
        return clusterClosing;
    }

    @Override
    public Buffer goodbye(byte[] statusJson) {
        byte[] close = ByteBuffer.allocate(2).putShort((short) 1000).array();
        return WebSocketFrames.serverFrame(channels.errorOpcode(), channels.errorMessage(statusJson))
                .appendBuffer(WebSocketFrames.serverFrame(WebSocketFrames.CLOSE, close));
    }

}
