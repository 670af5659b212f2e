package dev.gatehouse.session;

import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;

/**
 * exec, attach and port-forward over a SPDY/3.1 upgrade: frames split by {@link SpdyFrames}, read by
 * {@link SpdyStreams}. The cluster's data on the exec error stream (the final Status) and its GOAWAY are held.
 */
final class SpdyFraming implements Framing {
    private static final int GOAWAY = 7;

    private final SpdyFrames clientFrames;
    private final SpdyFrames clusterFrames;
    private final SpdyStreams spdy;
    private boolean clusterClosing;

    SpdyFraming(boolean portForward, SessionEvents events, int maxFrameBytes) {
        this.clientFrames = new SpdyFrames(maxFrameBytes);
        this.clusterFrames = new SpdyFrames(maxFrameBytes);
        this.spdy = new SpdyStreams(portForward, events);
    }

    @Override
    public void fromClient(Buffer bytes, Consumer<Buffer> relay) {
        clientFrames.feed(bytes, frame -> {
            spdy.feed(true, frame);
            relay.accept(frame);
        });
    }

    @Override
    public void fromCluster(Buffer bytes, Consumer<Buffer> relay, Consumer<Buffer> hold) {
        clusterFrames.feed(bytes, frame -> {
            spdy.feed(false, frame);
            boolean control = (frame.getUnsignedByte(0) & 0x80) != 0;
            clusterClosing |= control && frame.getUnsignedShort(2) == GOAWAY;
            boolean held = control ? frame.getUnsignedShort(2) == GOAWAY
                    : spdy.errorStreamId() >= 0 && (frame.getInt(0) & 0x7FFFFFFF) == spdy.errorStreamId();
            (held ? hold : relay).accept(frame);
        });
    }

    @Override
    public boolean clusterClosing() {
        return clusterClosing;
    }

    @Override
    public Buffer goodbye(byte[] statusJson) {
        int stream = spdy.errorStreamId();
        return stream < 0 ? Buffer.buffer() : SpdyFrames.dataFrame(stream, statusJson, true);
    }

    @Override
    public void close() {
        spdy.close();
    }
}
