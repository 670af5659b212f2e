package dev.gatehouse.session;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.vertx.core.buffer.Buffer;

/**
 * The gateway's own side of a SPDY/3.1 session it accepted before the cluster did (a session held for review):
 * it answers each stream the client opens with a {@code SYN_REPLY} of its own (kubectl gives up on a stream that
 * is not answered within 30 seconds), so the client's header decompressor follows the gateway's compressor from
 * then on. Once the session is spliced to the cluster, every {@code SYN_REPLY} of the cluster is therefore replaced:
 * dropped when the gateway already answered that stream (an empty DATA frame keeps its FIN), answered by the
 * gateway otherwise. A cluster {@code HEADERS} frame (a header block the gateway would have to re-encode; the
 * kubelet sends none) ends the session.
 */
final class SpdyReplies {
    private static final int SYN_REPLY = 2;
    private static final int HEADERS = 8;

    private final EmbeddedChannel encoder = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    private final Set<Integer> replied = new HashSet<>();

    /** The gateway's SYN_REPLY for {@code streamId}. */
    Buffer reply(int streamId, boolean last) {
        replied.add(streamId);
        DefaultSpdySynReplyFrame frame = new DefaultSpdySynReplyFrame(streamId);
        frame.setLast(last);
        // kubectl's SPDY library answers an empty header block with GOAWAY
        frame.headers().set("gatehouse", "accepted");
        encoder.writeOutbound(frame);
        Buffer out = Buffer.buffer();
        ByteBuf bytes;
        while ((bytes = encoder.readOutbound()) != null) {
            try {
                byte[] copy = new byte[bytes.readableBytes()];
                bytes.getBytes(bytes.readerIndex(), copy);
                out.appendBytes(copy);
            } finally {
                bytes.release();
            }
        }
        return out;
    }

    /** Wraps a spliced session's framing so the cluster's SYN_REPLYs are replaced as described above. */
    Framing rewriting(Framing inner) {
        return new Framing() {
            @Override
            public void fromClient(Buffer bytes, Consumer<Buffer> relay) {
                inner.fromClient(bytes, relay);
            }

            @Override
            public void fromCluster(Buffer bytes, Consumer<Buffer> relay, Consumer<Buffer> hold) {
                inner.fromCluster(bytes, frame -> relay.accept(rewrite(frame)), frame -> hold.accept(rewrite(frame)));
            }

            @Override
            public Buffer goodbye(byte[] statusJson) {
                return inner.goodbye(statusJson);
            }

            @Override
            public boolean clusterClosing() {
                return inner.clusterClosing();
            }

            @Override
            public void close() {
                inner.close();
                encoder.finishAndReleaseAll();
            }
        };
    }

    /**
     * The same for port-forward tunnelled in WebSocket messages: the cluster's SPDY frames are read out of its
     * messages and sent on, each in a binary message of its own, with its SYN_REPLYs replaced; control frames
     * (close, ping, pong) pass as they are.
     */
    Framing rewritingTunnel(Framing inner, int maxFrameBytes) {
        WebSocketFrames messages = new WebSocketFrames(false, maxFrameBytes);
        SpdyFrames frames = new SpdyFrames(maxFrameBytes);
        return new Framing() {
            @Override
            public void fromClient(Buffer bytes, Consumer<Buffer> relay) {
                inner.fromClient(bytes, relay);
            }

            @Override
            public void fromCluster(Buffer bytes, Consumer<Buffer> relay, Consumer<Buffer> hold) {
                inner.fromCluster(bytes, raw -> unwrap(raw, relay), raw -> unwrap(raw, hold));
            }

            private void unwrap(Buffer raw, Consumer<Buffer> out) {
                messages.feed(raw, frame -> {
                    if (frame.control()) {
                        out.accept(frame.raw());
                        return;
                    }
                    frames.feed(Buffer.buffer(frame.payload()), spdy -> {
                        Buffer rewritten = rewrite(spdy);
                        if (rewritten.length() > 0) {
                            out.accept(WebSocketFrames.serverFrame(WebSocketFrames.BINARY, rewritten.getBytes()));
                        }
                    });
                });
            }

            @Override
            public Buffer goodbye(byte[] statusJson) {
                return inner.goodbye(statusJson);
            }

            @Override
            public boolean clusterClosing() {
                return inner.clusterClosing();
            }

            @Override
            public void close() {
                inner.close();
                encoder.finishAndReleaseAll();
            }
        };
    }

    /** A cluster frame as the client may see it. */
    Buffer rewrite(Buffer frame) {
        boolean control = (frame.getUnsignedByte(0) & 0x80) != 0;
        if (!control) {
            return frame;
        }
        int type = frame.getUnsignedShort(2);
        if (type == HEADERS) {
            throw new FrameException("the cluster sent a SPDY HEADERS frame, which a session accepted before the "
                    + "cluster cannot relay");
        }
        if (type != SYN_REPLY) {
            return frame;
        }
        int streamId = frame.getInt(8) & 0x7FFFFFFF;
        boolean last = (frame.getUnsignedByte(4) & 0x01) != 0;
        if (replied.contains(streamId)) {
            return last ? SpdyFrames.dataFrame(streamId, new byte[0], true) : Buffer.buffer();
        }
        return reply(streamId, last);
    }

    void close() {
        encoder.finishAndReleaseAll();
    }
}
