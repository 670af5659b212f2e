package dev.gatehouse.audit.file;

import java.nio.file.Path;

/**
 * The audit log directory is locked by another process (or already open in this one): a second writer would fork
 * the positions, so the log is not opened at all and whatever was starting must refuse to start.
 */
public final class LogDirectoryInUseException extends IllegalStateException {
    private final Path lockFile;
    private final String holder;

    LogDirectoryInUseException(Path lockFile, String holder) {
        super("audit log " + lockFile.getParent() + " is in use by another process (lock " + lockFile + " held by "
                + holder + ")");
        this.lockFile = lockFile;
        this.holder = holder;
    }

    /** The lock file ({@code <audit dir>/.lock}). */
    public Path lockFile() {
        return lockFile;
    }

    /** Who holds it, as written in the lock file: {@code pid 1234}, or {@code an unknown process}. */
    public String holder() {
        return holder;
    }
}
