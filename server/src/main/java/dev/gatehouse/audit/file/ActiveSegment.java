package dev.gatehouse.audit.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The segment being appended to. It knows how many of its bytes are durable ({@link #committedSize()}); after
 * a failed write it goes back to exactly that size, so a batch that failed never leaves half its lines behind
 * the next batch.
 */
final class ActiveSegment implements AutoCloseable {
    private final SegmentOpener opener;
    private final Segment segment;
    private FileChannel channel;
    private long committedSize;

    private ActiveSegment(SegmentOpener opener, Segment segment, long committedSize) {
        this.opener = opener;
        this.segment = segment;
        this.committedSize = committedSize;
    }

    /** Opens {@code segment} for appending after its first {@code size} bytes, creating it when absent. */
    static ActiveSegment open(SegmentOpener opener, Segment segment, long size) throws IOException {
        ActiveSegment active = new ActiveSegment(opener, segment, size);
        active.reopen();
        if (size == 0) {
            syncDirectory(segment.path().getParent());
        }
        return active;
    }

    Segment segment() {
        return segment;
    }

    long committedSize() {
        return committedSize;
    }

    boolean isOpen() {
        return channel != null;
    }

    /** Writes {@code bytes} and forces them to the device; on success they are committed. */
    void writeDurably(ByteBuffer bytes) throws IOException {
        if (channel == null) {
            throw new IOException("segment " + segment.path().getFileName() + " is not open");
        }
        int length = bytes.remaining();
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(false);
        committedSize += length;
    }

    /** After a failure: drops uncommitted bytes if the file still allows it, else closes the channel. */
    void rollback() {
        try {
            channel.truncate(committedSize);
            channel.position(committedSize);
        } catch (IOException | RuntimeException e) {
            closeQuietly();
        }
    }

    /** Opens the channel again (after a failure), cutting anything past the committed size. */
    void reopen() throws IOException {
        closeQuietly();
        FileChannel ch = opener.open(segment.path());
        try {
            if (ch.size() > committedSize) {
                ch.truncate(committedSize);
            }
            ch.position(committedSize);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        channel = ch;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            try {
                channel.force(true);
            } finally {
                closeQuietly();
            }
        }
    }

    /** Closes without forcing, after a failure (recovery reopens the segment). */
    void abandon() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the channel is gone either way
            }
            channel = null;
        }
    }

    /** Makes a new file's directory entry durable. */
    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
