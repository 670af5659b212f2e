package dev.gatehouse.sandbox.spdy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyProtocolException;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySessionStatus;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;

/**
 * The server side of one SPDY/3.1 connection, whatever carries its bytes (an upgraded TCP connection or WebSocket
 * binary messages): Netty's {@link SpdyFrameCodec} in an {@link EmbeddedChannel} decodes what {@link #receive}
 * is given and encodes what is written into the {@code out} consumer. The client opens every stream; this side
 * replies, writes data, half-closes and resets. A frame the codec cannot decode, or a stream the listener refuses,
 * ends the connection with a {@code GOAWAY}. Not thread-safe: use it from the transport's event loop only.
 */
public final class SpdyConnection {
    private static final Logger LOG = LoggerFactory.getLogger(SpdyConnection.class);

    /** What the client does on the connection. */
    public interface Listener {
        /** The client opened a stream ({@code SYN_STREAM}); its headers have lower-case names. */
        void opened(int streamId, Map<String, String> headers);

        /** Bytes on a stream. */
        void data(int streamId, byte[] data);

        /** The client will send nothing more on the stream ({@code FIN}). */
        void halfClosed(int streamId);

        /** The client reset the stream ({@code RST_STREAM}). */
        void reset(int streamId);

        /** The connection ended; nothing more can be written. */
        void closed();
    }

    private final EmbeddedChannel channel;
    private final Consumer<Buffer> out;
    private final Runnable closeTransport;
    private Listener listener;
    private boolean closed;
    private boolean receiving;

    /**
     * @param out            where encoded frames go
     * @param closeTransport ends the carrying connection
     */
    public SpdyConnection(Consumer<Buffer> out, Runnable closeTransport) {
        this.out = out;
        this.closeTransport = closeTransport;
        this.channel = new EmbeddedChannel(new Outbound(), new SpdyFrameCodec(SpdyVersion.SPDY_3_1), new Inbound());
    }

    /** Sets who hears of the client's streams; call before the first {@link #receive}. */
    public void listen(Listener listener) {
        this.listener = listener;
    }

    /** Bytes from the client. */
    public void receive(Buffer bytes) {
        if (closed) {
            return;
        }
        receiving = true;
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes.getBytes()));
        } finally {
            receiving = false;
        }
        if (closed) {
            channel.finishAndReleaseAll();
        }
    }

    /** The carrying connection ended. */
    public void transportClosed() {
        if (!closed) {
            closed = true;
            if (!receiving) {
                channel.finishAndReleaseAll();
            }
            if (listener != null) {
                listener.closed();
            }
        }
    }

    /** Accepts a stream ({@code SYN_REPLY}); kubectl's SPDY library refuses an empty header block, so give one. */
    public void reply(int streamId, Map<String, String> headers) {
        SpdySynReplyFrame frame = new DefaultSpdySynReplyFrame(streamId);
        headers.forEach((name, value) -> frame.headers().set(name, value));
        write(frame);
    }

    /** Bytes on a stream. */
    public void write(int streamId, byte[] data) {
        if (data.length > 0) {
            write(new DefaultSpdyDataFrame(streamId, Unpooled.wrappedBuffer(data)));
        }
    }

    /** Half-closes a stream: this side sends nothing more on it. */
    public void finish(int streamId) {
        write(new DefaultSpdyDataFrame(streamId).setLast(true));
    }

    /** Resets a stream. */
    public void reset(int streamId) {
        write(new DefaultSpdyRstStreamFrame(streamId, SpdyStreamStatus.CANCEL));
    }

    /** Ends the connection with a {@code GOAWAY}. */
    public void close() {
        close(SpdySessionStatus.OK);
    }

    /** Ends the connection because the client broke the protocol. */
    public void protocolError(String reason) {
        LOG.debug("closing a SPDY connection: {}", reason);
        close(SpdySessionStatus.PROTOCOL_ERROR);
    }

    public boolean isClosed() {
        return closed;
    }

    private void close(SpdySessionStatus status) {
        if (closed) {
            return;
        }
        write(new DefaultSpdyGoAwayFrame(0, status));
        closeTransport.run();
        transportClosed();
    }

    private void write(Object frame) {
        if (closed) {
            ReferenceCountUtil.release(frame);
            return;
        }
        channel.writeAndFlush(frame);
    }

    private void frame(Object frame) {
        switch (frame) {
            case SpdySynStreamFrame syn -> opened(syn);
            case SpdyDataFrame data -> {
                byte[] bytes = ByteBufUtil.getBytes(data.content());
                if (bytes.length > 0) {
                    listener.data(data.streamId(), bytes);
                }
                if (data.isLast() && !closed) {
                    listener.halfClosed(data.streamId());
                }
            }
            case SpdyHeadersFrame headers when headers.isLast() -> listener.halfClosed(headers.streamId());
            case SpdyRstStreamFrame rst -> listener.reset(rst.streamId());
            case SpdyPingFrame ping -> write(new DefaultSpdyPingFrame(ping.id()));
            case SpdyGoAwayFrame goAway -> close();
            default -> { } // SETTINGS, WINDOW_UPDATE, HEADERS: kubectl's SPDY library keeps no flow control either
        }
    }

    private void opened(SpdySynStreamFrame syn) {
        if (syn.isInvalid() || syn.isTruncated()) {
            protocolError("SYN_STREAM " + syn.streamId() + " with an invalid header block");
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        syn.headers().forEach(h -> headers.putIfAbsent(h.getKey().toString().toLowerCase(Locale.ROOT),
                h.getValue().toString()));
        listener.opened(syn.streamId(), headers);
        if (syn.isLast() && !closed) {
            listener.halfClosed(syn.streamId());
        }
    }

    /** Decoded frames to the listener; a decoding error ends the connection. */
    private final class Inbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!closed) {
                    frame(msg);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof SpdyProtocolException)) {
                LOG.warn("a SPDY stream handler failed; closing the connection", cause);
            }
            protocolError(String.valueOf(cause.getMessage()));
        }
    }

    /** Encoded frames to the transport. */
    private final class Outbound extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            try {
                if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
                    out.accept(Buffer.buffer(ByteBufUtil.getBytes(bytes)));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
            promise.setSuccess();
        }
    }
}
