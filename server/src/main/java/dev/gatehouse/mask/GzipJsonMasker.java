package dev.gatehouse.mask;

import dev.gatehouse.forward.BodyTransform;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.JdkZlibDecoder;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.vertx.core.buffer.Buffer;

/**
 * A gzip-encoded JSON body: inflated as it streams (Netty's zlib decoder, checksum checked), masked by a
 * {@link JsonMasker}, sent identity-encoded. A corrupt or cut-off gzip stream throws {@link MaskingException}.
 */
public final class GzipJsonMasker implements BodyTransform {
    private final JsonMasker masker;
    private final JdkZlibDecoder decoder = new JdkZlibDecoder(ZlibWrapper.GZIP, false);
    private final EmbeddedChannel inflater = new EmbeddedChannel(decoder);
    private boolean failed;

    public GzipJsonMasker(JsonMasker masker) {
        this.masker = masker;
    }

    @Override
    public Buffer chunk(Buffer in) {
        checkNotFailed();
        try {
            inflater.writeInbound(Unpooled.wrappedBuffer(in.getBytes()));
        } catch (RuntimeException e) {
            throw fail("the cluster's gzip body is corrupt");
        }
        return maskInflated();
    }

    @Override
    public Buffer end() {
        checkNotFailed();
        try {
            inflater.finishAndReleaseAll();
        } catch (RuntimeException e) {
            throw fail("the cluster's gzip body is corrupt");
        }
        if (!decoder.isClosed()) {
            throw fail("the cluster's gzip body ended before its end");
        }
        return masker.end();
    }

    private Buffer maskInflated() {
        Buffer out = Buffer.buffer();
        ByteBuf inflated;
        while ((inflated = inflater.readInbound()) != null) {
            byte[] bytes;
            try {
                bytes = ByteBufUtil.getBytes(inflated);
            } finally {
                inflated.release();
            }
            try {
                out.appendBuffer(masker.chunk(Buffer.buffer(bytes)));
            } catch (MaskingException e) {
                fail(e.getMessage());
                throw e;
            }
        }
        return out;
    }

    private void checkNotFailed() {
        if (failed) {
            throw new MaskingException("masking had already failed on this response");
        }
    }

    private MaskingException fail(String message) {
        failed = true;
        try {
            inflater.finishAndReleaseAll();
        } catch (RuntimeException alreadyFailed) {
            // the decoder's own error, already reported as this one
        }
        return new MaskingException(message);
    }
}
