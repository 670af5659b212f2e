package dev.gatehouse.audit.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The segment being appended to. It knows how many of its bytes are durable ({@link #committedSize()}); after
 * a failed write it goes back to exactly that size, so a batch that failed never leaves half its lines behind
 * the next batch.
 * <p>
 * <b>Preallocation.</b> On ext4 (and most journaling file systems) a synchronous write ({@code O_DSYNC}, as after
 * {@code fdatasync}) that makes the file longer must also commit the new size through the journal: that commit is most of the sync's CPU and
 * all of its long stalls (tens of ms when other files on the disk have metadata in the same transaction). A sync
 * after overwriting bytes that already exist only writes the data. So the segment is kept zero-filled ahead of
 * the write position, durably, by {@link #extend()} on a helper thread, and commits land inside that region. The
 * live segment therefore ends in NUL padding, which no event contains (JSON escapes control characters):
 * {@link LineReader} stops at it, {@link TailRecovery} tells padding from a torn tail, and sealing or closing
 * the segment cuts the padding off, so sealed segments hold exactly their lines.
 * <p>
 * Threads: the writer thread calls everything but {@link #extend()}. The helper only writes zeros past
 * {@link #zeroedEnd} and past the file's end, while the writer's fast path only writes below {@code zeroedEnd},
 * so they never touch the same bytes; everything else that changes the file's size holds {@link #lock}.
 */
final class ActiveSegment implements AutoCloseable {
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    private final SegmentOpener opener;
    private final Segment segment;
    private final long ahead;
    private final long limit;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile FileChannel channel;
    private volatile long committedSize;
    /** Bytes {@code [0, zeroedEnd)} exist durably (lines or zeros): committing inside them needs no size change. */
    private volatile long zeroedEnd;

    private ActiveSegment(SegmentOpener opener, Segment segment, long committedSize, long segmentBytes) {
        this.opener = opener;
        this.segment = segment;
        this.committedSize = committedSize;
        // Zero-fill up to 1 MiB ahead (an eighth of a small segment), never far past where the segment is sealed.
        // Measured at 5k events/s: 1 MiB extensions gave p99 waits of 1.1-1.5 ms, 8 MiB ones 2.0-2.4 ms (each
        // extension's own write and journal commit competes with the commits for the disk).
        this.ahead = Math.clamp(segmentBytes / 8, 64 << 10, 1 << 20);
        this.limit = segmentBytes + ahead;
    }

    /**
     * Opens {@code segment} for appending after its first {@code size} bytes, creating it when absent; anything
     * past {@code size} (padding, or bytes recovery cut) is truncated. {@code segmentBytes} is where the writer
     * seals it, which bounds how far ahead it is zero-filled.
     */
    static ActiveSegment open(SegmentOpener opener, Segment segment, long size, long segmentBytes) throws IOException {
        ActiveSegment active = new ActiveSegment(opener, segment, size, segmentBytes);
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

    /** Writes {@code bytes} through to the device ({@link SegmentOpener}); on success they are committed. */
    void writeDurably(ByteBuffer bytes) throws IOException {
        FileChannel ch = channel;
        if (ch == null) {
            throw new IOException("segment " + segment.path().getFileName() + " is not open");
        }
        int length = bytes.remaining();
        if (committedSize + length <= zeroedEnd) {
            writeThrough(ch, bytes); // inside the zero-filled region: the helper never writes here
        } else {
            lock.lock(); // past it: the file grows, so the helper must not extend at the same time
            try {
                writeThrough(ch, bytes);
            } finally {
                lock.unlock();
            }
        }
        committedSize += length;
    }

    private static void writeThrough(FileChannel ch, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            ch.write(bytes);
        }
    }

    /** Whether less than half of the zero-filled reserve is left ahead of the write position. */
    boolean wantsExtension() {
        return channel != null && zeroedEnd - committedSize < ahead / 2 && zeroedEnd < limit;
    }

    /**
     * Zero-fills the file from its end to {@code ahead} bytes past the write position and makes that durable. Runs
     * on the helper thread; a failure only means later commits grow the file themselves.
     */
    void extend() throws IOException {
        lock.lock();
        try {
            FileChannel ch = channel;
            if (ch == null) {
                return;
            }
            long start = Math.max(zeroedEnd, ch.size());
            long target = Math.min(committedSize + ahead, limit);
            if (start >= target) {
                return;
            }
            for (long pos = start; pos < target; ) {
                ByteBuffer zeros = ZEROS.duplicate();
                zeros.limit((int) Math.min(zeros.capacity(), target - pos));
                pos += ch.write(zeros, pos);
            }
            ch.force(true);
            zeroedEnd = target;
        } finally {
            lock.unlock();
        }
    }

    /** After a failure: drops uncommitted bytes (and the padding) if the file still allows it, else closes. */
    void rollback() {
        lock.lock();
        try {
            channel.truncate(committedSize);
            channel.position(committedSize);
            zeroedEnd = committedSize;
        } catch (IOException | RuntimeException e) {
            closeQuietly();
        } finally {
            lock.unlock();
        }
    }

    /** Opens the channel again (after a failure), cutting anything past the committed size. */
    void reopen() throws IOException {
        lock.lock();
        try {
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
            zeroedEnd = committedSize;
            channel = ch;
        } finally {
            lock.unlock();
        }
    }

    /** Seals: cuts the padding so the file holds exactly its lines, and forces it. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (channel != null) {
                try {
                    channel.truncate(committedSize);
                    channel.force(true);
                } finally {
                    closeQuietly();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes without forcing, after a failure (recovery reopens the segment and cuts its padding). */
    void abandon() {
        lock.lock();
        try {
            closeQuietly();
        } finally {
            lock.unlock();
        }
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
