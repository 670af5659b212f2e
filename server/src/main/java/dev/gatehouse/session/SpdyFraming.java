package dev.gatehouse.session;

import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;

/**
 * exec, attach and port-forward over a SPDY/3.1 upgrade: frames split by {@link SpdyFrames}, read by
 * {@link SpdyStreams}. The cluster's data on the exec error stream (the final Status) and its GOAWAY are held. A
 * GOAWAY does not end the session: the kubelet's SPDY library sends it first when it closes, then lets its streams
 * drain (stdout may still follow), so the session ends when the cluster closes the connection.
 */
final class SpdyFraming implements Framing {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SpdyFraming.class);
    private static final int GOAWAY = 7;

    private final SpdyFrames clientFrames;
    private final SpdyFrames clusterFrames;
    private final SpdyStreams spdy;

    SpdyFraming(boolean portForward, SessionEvents events, int maxFrameBytes) {
        this.clientFrames = new SpdyFrames(maxFrameBytes);
        this.clusterFrames = new SpdyFrames(maxFrameBytes);
        this.spdy = new SpdyStreams(portForward, events);
    }

    @Override
    public void fromClient(Buffer bytes, Consumer<Buffer> relay) {
        clientFrames.feed(bytes, frame -> {
            if (LOG.isTraceEnabled()) {
                LOG.trace("client frame {}", describe(frame));
            }
            spdy.feed(true, frame);
            relay.accept(frame);
        });
    }

    @Override
    public void fromCluster(Buffer bytes, Consumer<Buffer> relay, Consumer<Buffer> hold) {
        clusterFrames.feed(bytes, frame -> {
            spdy.feed(false, frame);
            boolean control = (frame.getUnsignedByte(0) & 0x80) != 0;
            boolean held = control ? frame.getUnsignedShort(2) == GOAWAY
                    : spdy.errorStreamId() >= 0 && (frame.getInt(0) & 0x7FFFFFFF) == spdy.errorStreamId();
            if (LOG.isTraceEnabled()) {
                LOG.trace("cluster frame {} held={}", describe(frame), held);
            }
            (held ? hold : relay).accept(frame);
        });
    }

    private static String describe(Buffer frame) {
        boolean control = (frame.getUnsignedByte(0) & 0x80) != 0;
        int flags = frame.getUnsignedByte(4);
        int length = frame.getInt(4) & 0xFFFFFF;
        return control ? "control type " + frame.getUnsignedShort(2) + " flags " + flags + " length " + length
                : "data stream " + (frame.getInt(0) & 0x7FFFFFFF) + " flags " + flags + " length " + length;
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
