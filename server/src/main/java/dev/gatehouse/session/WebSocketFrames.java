package dev.gatehouse.session;

import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;

/**
 * An incremental RFC 6455 frame splitter for one direction of a relayed WebSocket. It is fed the bytes as they
 * arrive and hands out each complete frame: its original bytes (relayed unchanged) and its unmasked payload
 * (recorded). It accepts only what Kubernetes' channel protocols use: no extensions (RSV bits clear), known
 * opcodes, control frames unfragmented and at most 125 bytes, frames from the client masked and from the server
 * not, lengths minimally encoded (RFC 6455 5.2: two readers could disagree on anything else), and frames no larger
 * than a bound, so a connection's memory stays bounded. Anything else is a
 * {@link FrameException}: the bridge ends the session rather than relay what it cannot record.
 */
public final class WebSocketFrames {
    public static final int CONTINUATION = 0;
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;
    public static final int PING = 9;
    public static final int PONG = 10;

    /** One complete frame. */
    public record Frame(boolean fin, int opcode, Buffer raw, byte[] payload) {
        public boolean control() {
            return opcode >= CLOSE;
        }
    }

    private final boolean fromClient;
    private final int maxFrameBytes;
    private Buffer pending = Buffer.buffer();
    private boolean inMessage;

    /**
     * @param fromClient    true for the client-to-server direction (frames must be masked)
     * @param maxFrameBytes the largest payload accepted
     */
    public WebSocketFrames(boolean fromClient, int maxFrameBytes) {
        this.fromClient = fromClient;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Feeds bytes; calls {@code out} for each frame they complete, in order. */
    public void feed(Buffer bytes, Consumer<Frame> out) {
        pending = pending.length() == 0 ? bytes.copy() : pending.appendBuffer(bytes);
        int at = 0;
        while (true) {
            int consumed = next(at, out);
            if (consumed == 0) {
                break;
            }
            at += consumed;
        }
        if (at > 0) {
            pending = pending.getBuffer(at, pending.length());
        }
    }

    /** True when no partial frame is buffered: the relayed stream ends on a frame boundary. */
    public boolean atBoundary() {
        return pending.length() == 0;
    }

    private int next(int at, Consumer<Frame> out) {
        int available = pending.length() - at;
        if (available < 2) {
            return 0;
        }
        int b0 = pending.getUnsignedByte(at);
        int b1 = pending.getUnsignedByte(at + 1);
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        if ((b0 & 0x70) != 0) {
            throw new FrameException("a WebSocket frame uses an extension (RSV bits set), which the gateway does not "
                    + "negotiate");
        }
        if (opcode != CONTINUATION && opcode != TEXT && opcode != BINARY && opcode != CLOSE && opcode != PING
                && opcode != PONG) {
            throw new FrameException("unknown WebSocket opcode " + opcode);
        }
        boolean masked = (b1 & 0x80) != 0;
        if (masked != fromClient) {
            throw new FrameException(fromClient ? "a client's WebSocket frame is not masked"
                    : "a server's WebSocket frame is masked");
        }
        long length = b1 & 0x7F;
        int header = 2;
        if (length == 126) {
            if (available < 4) {
                return 0;
            }
            length = pending.getUnsignedShort(at + 2);
            header = 4;
            if (length < 126) {
                throw new FrameException("a WebSocket frame's length is not minimally encoded");
            }
        } else if (length == 127) {
            if (available < 10) {
                return 0;
            }
            length = pending.getLong(at + 2);
            header = 10;
            if (length < 0) {
                throw new FrameException("a WebSocket frame's length is negative");
            }
            if (length <= 0xFFFF) {
                throw new FrameException("a WebSocket frame's length is not minimally encoded");
            }
        }
        boolean control = opcode >= CLOSE;
        if (control && (!fin || length > 125)) {
            throw new FrameException("a WebSocket control frame is fragmented or longer than 125 bytes");
        }
        if (length > maxFrameBytes) {
            throw new FrameException("a WebSocket frame of " + length + " bytes is larger than the gateway relays ("
                    + maxFrameBytes + ")");
        }
        if (!control) {
            if (opcode == CONTINUATION && !inMessage) {
                throw new FrameException("a WebSocket continuation frame without a message to continue");
            }
            if (opcode != CONTINUATION && inMessage) {
                throw new FrameException("a new WebSocket message starts before the previous one ended");
            }
        }
        int maskAt = at + header;
        if (masked) {
            header += 4;
        }
        long total = header + length;
        if (available < total) {
            return 0;
        }
        byte[] payload = pending.getBytes(at + header, (int) (at + total));
        if (masked) {
            byte[] mask = pending.getBytes(maskAt, maskAt + 4);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        if (!control) {
            inMessage = !fin;
        }
        out.accept(new Frame(fin, opcode, pending.getBuffer(at, (int) (at + total)), payload));
        return (int) total;
    }

    /** Encodes an unmasked frame, as a server sends it. */
    public static Buffer serverFrame(int opcode, byte[] payload) {
        Buffer frame = Buffer.buffer(payload.length + 10);
        frame.appendByte((byte) (0x80 | opcode));
        if (payload.length < 126) {
            frame.appendByte((byte) payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.appendByte((byte) 126).appendUnsignedShort(payload.length);
        } else {
            frame.appendByte((byte) 127).appendLong(payload.length);
        }
        return frame.appendBytes(payload);
    }

    /** Encodes a masked frame, as a client sends it. */
    public static Buffer clientFrame(int opcode, byte[] payload, byte[] mask) {
        Buffer frame = Buffer.buffer(payload.length + 14);
        frame.appendByte((byte) (0x80 | opcode));
        if (payload.length < 126) {
            frame.appendByte((byte) (0x80 | payload.length));
        } else if (payload.length <= 0xFFFF) {
            frame.appendByte((byte) (0x80 | 126)).appendUnsignedShort(payload.length);
        } else {
            frame.appendByte((byte) (0x80 | 127)).appendLong(payload.length);
        }
        frame.appendBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.appendByte((byte) (payload[i] ^ mask[i & 3]));
        }
        return frame;
    }
}
