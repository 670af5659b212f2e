package dev.gatehouse.audit.file;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads newline-terminated lines from a file with their byte offsets, without decoding them (the log hashes
 * the raw bytes). Bytes after the last newline are not a line: {@link #trailingBytes()} counts them once the
 * end is reached. A NUL byte ends the data: the segment being written is zero-filled ahead of its last line
 * (see {@link ActiveSegment}), and no event contains a raw NUL.
 */
final class LineReader implements Closeable {
    /** One complete line, without its newline. */
    record Line(long offset, byte[] bytes) {
        long end() {
            return offset + bytes.length + 1;
        }
    }

    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkLen;
    private long offset;
    private byte[] partial = new byte[256];
    private int partialLen;
    private boolean eof;

    LineReader(Path file) throws IOException {
        this(file, 0);
    }

    /** Reads from byte {@code start}, which must be the start of a line. */
    LineReader(Path file, long start) throws IOException {
        this.in = Files.newInputStream(file);
        long skipped = 0;
        while (skipped < start) {
            long n = in.skip(start - skipped);
            if (n <= 0) {
                break;
            }
            skipped += n;
        }
        this.offset = skipped;
    }

    /** The next complete line, or null at the end of the file. */
    Line next() throws IOException {
        long start = offset;
        partialLen = 0;
        while (true) {
            if (chunkPos == chunkLen) {
                if (eof || !fill()) {
                    return null;
                }
            }
            int i = chunkPos;
            while (i < chunkLen && chunk[i] != '\n' && chunk[i] != 0) {
                i++;
            }
            append(chunk, chunkPos, i - chunkPos);
            offset += i - chunkPos;
            if (i < chunkLen && chunk[i] == 0) {
                chunkPos = chunkLen; // the live segment's zero padding: the data ends here
                eof = true;
                return null;
            }
            if (i < chunkLen) {
                chunkPos = i + 1;
                offset++;
                return new Line(start, Arrays.copyOf(partial, partialLen));
            }
            chunkPos = chunkLen;
        }
    }

    /** After {@link #next()} returned null: how many bytes followed the last newline (a torn line). */
    int trailingBytes() {
        return partialLen;
    }

    private boolean fill() throws IOException {
        int n = in.read(chunk);
        if (n <= 0) {
            eof = true;
            return false;
        }
        chunkPos = 0;
        chunkLen = n;
        return true;
    }

    private void append(byte[] src, int from, int len) {
        if (partialLen + len > partial.length) {
            partial = Arrays.copyOf(partial, Math.max(partial.length * 2, partialLen + len));
        }
        System.arraycopy(src, from, partial, partialLen, len);
        partialLen += len;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
