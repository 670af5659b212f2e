package dev.gatehouse.evidence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Write-once object storage for evidence: an object, once stored, is never replaced by different bytes. The one
 * implementation is {@link S3ObjectStore}; every method fails with an {@link IOException} whose message names the
 * bucket and key and says what the store answered.
 */
public interface ObjectStore extends AutoCloseable {
    /** What the store holds under a key. {@code sha256} is the hex digest the uploader declared, or null. */
    record Stored(String key, long size, String sha256) {
    }

    /** The object under {@code key}, if any. */
    Optional<Stored> head(String key) throws IOException;

    /**
     * Uploads {@code file} under {@code key} with its SHA-256 (hex) and MD5 declared, so the store refuses bytes
     * damaged in transit, and with the configured object lock.
     */
    void put(String key, Path file, String sha256) throws IOException;

    /** Every key that starts with {@code prefix}, in lexicographic order. */
    List<Stored> list(String prefix) throws IOException;

    /** The object's bytes. */
    byte[] get(String key) throws IOException;

    @Override
    void close();
}
