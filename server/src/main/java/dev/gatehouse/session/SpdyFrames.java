package dev.gatehouse.session;

import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;

/**
 * Splits one direction of a SPDY/3.1 connection into whole frames, so the relay forwards frames and can add
 * one of its own between them (the Status that says why the gateway ended a session). Every frame has an
 * eight-byte header whose last three bytes are the payload length; control frames carry version 3 and a known
 * type. Frames larger than the bound are refused so a connection's memory stays bounded.
 */
public final class SpdyFrames {
    private final int maxFrameBytes;
    private Buffer pending = Buffer.buffer();

    public SpdyFrames(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Feeds bytes; calls {@code out} with each complete frame they finish, in order. */
    public void feed(Buffer bytes, Consumer<Buffer> out) {
        pending = pending.length() == 0 ? bytes.copy() : pending.appendBuffer(bytes);
        int at = 0;
        while (pending.length() - at >= 8) {
            int b0 = pending.getUnsignedByte(at);
            if ((b0 & 0x80) != 0) {
                int version = pending.getUnsignedShort(at) & 0x7FFF;
                int type = pending.getUnsignedShort(at + 2);
                if (version != 3) {
                    throw new FrameException("a SPDY control frame of version " + version + " (expected 3)");
                }
                if (type < 1 || type > 9 || type == 5) {
                    throw new FrameException("unknown SPDY control frame type " + type);
                }
            }
            int length = pending.getInt(at + 4) & 0xFFFFFF;
            if (length > maxFrameBytes) {
                throw new FrameException("a SPDY frame of " + length + " bytes is larger than the gateway relays ("
                        + maxFrameBytes + ")");
            }
            if (pending.length() - at < 8 + length) {
                break;
            }
            out.accept(pending.getBuffer(at, at + 8 + length));
            at += 8 + length;
        }
        if (at > 0) {
            pending = pending.getBuffer(at, pending.length());
        }
    }

    public boolean atBoundary() {
        return pending.length() == 0;
    }

    /** A SPDY DATA frame on {@code streamId}. */
    public static Buffer dataFrame(int streamId, byte[] data, boolean fin) {
        return Buffer.buffer(data.length + 8).appendInt(streamId & 0x7FFFFFFF)
                .appendInt(((fin ? 1 : 0) << 24) | data.length).appendBytes(data);
    }
}
