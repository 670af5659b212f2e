package dev.gatehouse.export;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An exporter's durable position: the next log position to deliver, in {@code <state dir>/<name>.cursor},
 * replaced atomically and forced after every delivered batch.
 */
public final class ExportCursor {
    private final Path file;
    private long next;

    private ExportCursor(Path file, long next) {
        this.file = file;
        this.next = next;
    }

    /** Loads the cursor named {@code name} in {@code stateDir}, starting at 0 when there is none. */
    public static ExportCursor load(Path stateDir, String name) throws IOException {
        Files.createDirectories(stateDir);
        Path file = stateDir.resolve(name + ".cursor");
        long next = 0;
        if (Files.exists(file)) {
            String text = Files.readString(file).strip();
            try {
                next = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IOException(file + ": '" + text + "' (expected: a log position)");
            }
        }
        return new ExportCursor(file, next);
    }

    public long next() {
        return next;
    }

    /** Moves the cursor to {@code position} durably. */
    public void advance(long position) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap((position + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(false);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        next = position;
    }
}
