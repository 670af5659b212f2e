package dev.gatehouse.session;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The exact part of a recording: after the line {@code gatehouse-session-raw/1}, one record per relayed chunk —
 * a stream byte, the microseconds since the session started (8 bytes), the length (4 bytes) and the bytes as they
 * crossed the gateway, never re-encoded. Port-forward records start with their request id and a NUL.
 */
public final class RawRecording {
    public static final byte[] MAGIC = "gatehouse-session-raw/1\n".getBytes(StandardCharsets.US_ASCII);

    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    public static final int STATUS = 3;
    public static final int RESIZE = 4;
    public static final int FORWARD_TO_POD = 5;
    public static final int FORWARD_FROM_POD = 6;
    public static final int FORWARD_ERROR = 7;
    public static final int NOTE = 8;

    /** One record. */
    public record Entry(int stream, long micros, byte[] data) {
    }

    private RawRecording() {
    }

    public static byte[] encode(int stream, long micros, byte[] data) {
        return ByteBuffer.allocate(13 + data.length).put((byte) stream).putLong(micros).putInt(data.length).put(data)
                .array();
    }

    /** Reads records one by one; {@link #next()} is null at the end. A torn last record ends the reader. */
    public static final class Reader implements AutoCloseable {
        private final DataInputStream in;

        public Reader(InputStream in) throws IOException {
            this.in = new DataInputStream(new java.io.BufferedInputStream(in));
            byte[] magic = new byte[MAGIC.length];
            this.in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a Gatehouse session recording");
            }
        }

        public Entry next() throws IOException {
            int stream = in.read();
            if (stream < 0) {
                return null;
            }
            try {
                long micros = in.readLong();
                int length = in.readInt();
                if (length < 0 || length > 64 * 1024 * 1024) {
                    throw new IOException("a recording record of " + length + " bytes");
                }
                byte[] data = new byte[length];
                in.readFully(data);
                return new Entry(stream, micros, data);
            } catch (EOFException torn) {
                return null;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The bytes of one stream, in order, as an InputStream (for reading a tar stream back). */
    public static InputStream stream(InputStream recording, int wanted) throws IOException {
        Reader reader = new Reader(recording);
        return new InputStream() {
            private byte[] current = new byte[0];
            private int at;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (at == current.length) {
                    Entry entry = reader.next();
                    if (entry == null) {
                        return -1;
                    }
                    if (entry.stream() == wanted) {
                        current = entry.data();
                        at = 0;
                    }
                }
                int n = Math.min(len, current.length - at);
                System.arraycopy(current, at, b, off, n);
                at += n;
                return n;
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }
}
