package dev.gatehouse.audit.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The log's single-writer guarantee: an exclusive lock on {@code <dir>/.lock}, held while the log is open, so a
 * second gateway (or a tool) cannot append to the same directory and fork the positions. The holder writes
 * {@code pid <n>} into the file, so a refused second start can name it, and empties it on a clean close: a
 * {@code pid} line found by the next holder means the previous one stopped without closing the log (a crash).
 */
final class WriterLock implements AutoCloseable {
    static final String FILE = ".lock";
    private final FileChannel channel;
    private final FileLock lock;
    private final String previousHolder;

    private WriterLock(FileChannel channel, FileLock lock, String previousHolder) {
        this.channel = channel;
        this.lock = lock;
        this.previousHolder = previousHolder;
    }

    /**
     * Takes the lock; throws {@link LogDirectoryInUseException} naming the holder when another process (or this
     * one) has it.
     */
    static WriterLock acquire(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new LogDirectoryInUseException(file, holder(file));
            }
            String previous = read(ch);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(false);
            return new WriterLock(ch, lock, previous.startsWith("pid ") ? previous : null);
        } catch (OverlappingFileLockException e) {
            ch.close();
            throw new LogDirectoryInUseException(file, "pid " + ProcessHandle.current().pid() + " (this process)");
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Throws {@link LogDirectoryInUseException} when another process holds the lock of {@code directory}; a
     * check before starting anything else (the lock taken when the log opens is what counts).
     */
    static void checkFree(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new LogDirectoryInUseException(file, holder(file));
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw new LogDirectoryInUseException(file, "pid " + ProcessHandle.current().pid() + " (this process)");
        } catch (NoSuchFileException e) {
            // removed meanwhile: free
        }
    }

    /** The {@code pid <n>} line of the lock file when the previous holder did not close the log, else null. */
    String previousHolder() {
        return previousHolder;
    }

    private static String holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return text.matches("pid \\d+") ? text : "an unknown process";
        } catch (IOException | RuntimeException e) {
            return "an unknown process";
        }
    }

    private static String read(FileChannel ch) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(ch.size(), 256));
        while (bytes.hasRemaining() && ch.read(bytes, bytes.position()) > 0) {
            // read the start of the file
        }
        return new String(bytes.array(), 0, bytes.position(), StandardCharsets.US_ASCII).strip();
    }

    /** Releases the lock; with {@code clean} the file is emptied first (the log was closed properly). */
    void release(boolean clean) throws IOException {
        try {
            if (clean) {
                channel.truncate(0);
                channel.force(false);
            }
        } finally {
            close();
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
