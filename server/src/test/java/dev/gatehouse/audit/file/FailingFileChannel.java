package dev.gatehouse.audit.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** A real file channel whose writes and forces fail like a full disk while {@link Disk#full} is set. */
final class FailingFileChannel extends FileChannel {

    /** The switches a test flips; shared by every channel the opener hands out. */
    static final class Disk implements SegmentOpener {
        final AtomicBoolean full = new AtomicBoolean();
        /** While set, every write and force waits for it: segments write through, so that is where a commit syncs. */
        final AtomicReference<CountDownLatch> syncGate = new AtomicReference<>();

        @Override
        public FileChannel open(Path path) throws IOException {
            if (full.get()) {
                throw new IOException("No space left on device");
            }
            return new FailingFileChannel(SegmentOpener.FILES.open(path), this);
        }
    }

    private final FileChannel real;
    private final Disk disk;

    private FailingFileChannel(FileChannel real, Disk disk) {
        this.real = real;
        this.disk = disk;
    }

    private void check() throws IOException {
        if (disk.full.get()) {
            throw new IOException("No space left on device");
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        awaitGate();
        check();
        return real.write(src);
    }

    @Override
    public void force(boolean metaData) throws IOException {
        awaitGate();
        check();
        real.force(metaData);
    }

    private void awaitGate() {
        CountDownLatch gate = disk.syncGate.get();
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return real.read(dsts, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        awaitGate();
        check();
        return real.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
        return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        real.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        real.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        check();
        return real.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return real.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        awaitGate();
        check();
        return real.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return real.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }
}
