package dev.gatehouse.audit.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The log's single-writer guarantee: an exclusive lock on {@code <dir>/.lock}, held while the log is open, so a
 * second gateway (or a tool) cannot append to the same directory and fork the positions.
 */
final class WriterLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static WriterLock acquire(Path directory) throws IOException {
        Path file = directory.resolve(".lock");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new IOException("another process is writing this audit log (it holds " + file + ")");
            }
            return new WriterLock(ch, lock);
        } catch (OverlappingFileLockException e) {
            ch.close();
            throw new IOException("this audit log is already open in this process (" + file + ")");
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
