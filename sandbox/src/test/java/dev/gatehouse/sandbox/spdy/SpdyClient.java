package dev.gatehouse.sandbox.spdy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;

/** The client end of a SPDY/3.1 connection for tests, in memory: encodes frames to bytes and decodes replies. */
public final class SpdyClient {
    private final EmbeddedChannel channel = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));

    /** A {@code SYN_STREAM} with these headers, as bytes. */
    public byte[] open(int streamId, Map<String, String> headers) {
        SpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(streamId, 0, (byte) 0);
        headers.forEach((k, v) -> syn.headers().set(k, v));
        return encode(syn);
    }

    /** A data frame, as bytes; {@code last} half-closes the stream. */
    public byte[] data(int streamId, byte[] data, boolean last) {
        return encode(new DefaultSpdyDataFrame(streamId, Unpooled.wrappedBuffer(data)).setLast(last));
    }

    private byte[] encode(Object frame) {
        channel.writeOutbound(frame);
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            all.writeBytes(b);
            b.release();
        }
        return ByteBufUtil.getBytes(all);
    }

    /** The frames in bytes the server wrote (their content copied, so nothing needs releasing). */
    public List<Object> decode(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        List<Object> frames = new ArrayList<>();
        for (Object f; (f = channel.readInbound()) != null; ) {
            frames.add(f);
        }
        return frames;
    }
}
