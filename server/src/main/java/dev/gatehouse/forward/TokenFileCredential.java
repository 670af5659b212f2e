package dev.gatehouse.forward;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Vertx;

/**
 * A bearer token read from a file and re-read when the file changes, as projected service-account tokens
 * rotate. The file is checked every {@code CHECK_INTERVAL_MS} off the event loop; a failed re-read keeps the
 * last good token and logs the problem (never the token).
 */
public final class TokenFileCredential implements UpstreamCredential {
    private static final Logger LOG = LoggerFactory.getLogger(TokenFileCredential.class);
    static final long CHECK_INTERVAL_MS = 5_000;

    private final Path file;
    private final Vertx vertx;
    private volatile String token;
    private volatile FileTime modified;
    private final long timerId;

    public TokenFileCredential(Vertx vertx, Path file) {
        this.vertx = vertx;
        this.file = file;
        this.modified = mtime();
        this.token = read();
        this.timerId = vertx.setPeriodic(CHECK_INTERVAL_MS, id -> vertx.executeBlocking(() -> {
            refreshIfChanged();
            return null;
        }, false));
    }

    @Override
    public String bearerToken() {
        return token;
    }

    /** Re-reads the file if its modification time changed. */
    void refreshIfChanged() {
        try {
            FileTime now = mtime();
            if (!now.equals(modified)) {
                token = read();
                modified = now;
                LOG.info("re-read upstream token file {}", file);
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot re-read upstream token file {}: {}", file, e.getMessage());
        }
    }

    private FileTime mtime() {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read token file " + file, e);
        }
    }

    private String read() {
        try {
            String value = Files.readString(file).strip();
            if (value.isEmpty()) {
                throw new IllegalStateException("token file " + file + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read token file " + file, e);
        }
    }

    @Override
    public void close() {
        vertx.cancelTimer(timerId);
    }
}
