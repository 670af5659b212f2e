package dev.gatehouse.chain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A copy of a streamed request body for the audit record, taken as the bytes pass on to the cluster (never holding
 * them back): the first {@code limit} bytes, the total length and the SHA-256 of all of it. Confined to the request's
 * event loop.
 */
public final class BodyCapture {
    private final int limit;
    private final MessageDigest sha256;
    private byte[] head = new byte[0];
    private int headLength;
    private long total;
    private boolean ended;

    public BodyCapture(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("body capture limit: " + limit + " (expected: >= 0)");
        }
        this.limit = limit;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A capture of a body already read whole. */
    public static BodyCapture of(Buffer body, int limit) {
        BodyCapture capture = new BodyCapture(limit);
        capture.add(body);
        capture.ended = true;
        return capture;
    }

    /** Adds the next chunk. */
    public void add(Buffer chunk) {
        byte[] bytes = chunk.getBytes();
        sha256.update(bytes);
        total += bytes.length;
        int keep = (int) Math.min(bytes.length, Math.max(0, limit - headLength));
        if (keep > 0) {
            if (head.length < headLength + keep) {
                head = Arrays.copyOf(head, Math.min(limit, Math.max(headLength + keep, head.length * 2)));
            }
            System.arraycopy(bytes, 0, head, headLength, keep);
            headLength += keep;
        }
    }

    /** The body as far as it was kept (all of it when {@link #complete()}). */
    public byte[] bytes() {
        return Arrays.copyOf(head, headLength);
    }

    /** The length of the whole body seen so far. */
    public long totalBytes() {
        return total;
    }

    /** True when the client sent the whole body and all of it was kept. */
    public boolean complete() {
        return ended && total == headLength;
    }

    /** True when the client sent the whole body. */
    public boolean ended() {
        return ended;
    }

    /** The SHA-256 (hex) of the body seen so far. */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) sha256.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stream {@code source}, copying each chunk into this capture as it passes; nothing is delayed. */
    public ReadStream<Buffer> tap(ReadStream<Buffer> source) {
        return new Tap(source);
    }

    private final class Tap implements ReadStream<Buffer> {
        private final ReadStream<Buffer> source;

        Tap(ReadStream<Buffer> source) {
            this.source = source;
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            source.exceptionHandler(handler);
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> handler) {
            source.handler(handler == null ? null : chunk -> {
                add(chunk);
                handler.handle(chunk);
            });
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            source.pause();
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            source.resume();
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            source.fetch(amount);
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> handler) {
            source.endHandler(v -> {
                ended = true;
                if (handler != null) {
                    handler.handle(v);
                }
            });
            return this;
        }
    }
}
