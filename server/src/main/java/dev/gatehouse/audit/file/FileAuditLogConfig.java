package dev.gatehouse.audit.file;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the file audit log, validated on construction with the setting's name in the message.
 *
 * @param directory     where the segments live ({@code audit.directory})
 * @param queueCapacity events waiting to be written before appends fail fast ({@code audit.queueCapacity})
 * @param maxBatch      most events written with one fsync ({@code audit.maxBatch})
 * @param segmentBytes  size after which the segment is sealed and a new one started ({@code audit.segmentBytes})
 * @param probeInterval how often a failing log checks whether it can write again ({@code audit.probeInterval})
 * @param checkpointInterval the least time between the starts of two signed checkpoints while events arrive
 *                      ({@code audit.checkpointInterval}): a checkpoint follows every commit once the checkpoint
 *                      thread is free and this much time has passed since the last; also on sealing and on close
 */
public record FileAuditLogConfig(Path directory, int queueCapacity, int maxBatch, long segmentBytes,
                                 Duration probeInterval, Duration checkpointInterval) {
    public FileAuditLogConfig {
        Objects.requireNonNull(directory, "audit.directory");
        Objects.requireNonNull(probeInterval, "audit.probeInterval");
        Objects.requireNonNull(checkpointInterval, "audit.checkpointInterval");
        if (queueCapacity <= 0) {
            throw new IllegalArgumentException("audit.queueCapacity: " + queueCapacity + " (expected: > 0)");
        }
        if (maxBatch <= 0) {
            throw new IllegalArgumentException("audit.maxBatch: " + maxBatch + " (expected: > 0)");
        }
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("audit.segmentBytes: " + segmentBytes + " (expected: >= 4096)");
        }
        if (probeInterval.isNegative() || probeInterval.isZero()) {
            throw new IllegalArgumentException("audit.probeInterval: " + probeInterval + " (expected: > 0)");
        }
        if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
            throw new IllegalArgumentException("audit.checkpointInterval: " + checkpointInterval + " (expected: > 0)");
        }
    }

    /**
     * Defaults: 64k queued events, batches of up to 4096, 64 MiB segments, probing every second, checkpoints
     * at least {@link #DEFAULT_CHECKPOINT_SPACING} apart (at most 10 a second).
     */
    public static FileAuditLogConfig of(Path directory) {
        return new FileAuditLogConfig(directory, 65_536, 4_096, 64L << 20, Duration.ofSeconds(1),
                DEFAULT_CHECKPOINT_SPACING);
    }

    /** The default least time between two checkpoints. */
    public static final Duration DEFAULT_CHECKPOINT_SPACING = Duration.ofMillis(100);

    /** The directory holding the signing keys. */
    public Path keyDirectory() {
        return directory.resolve("keys");
    }

    public FileAuditLogConfig withCheckpointInterval(Duration interval) {
        return new FileAuditLogConfig(directory, queueCapacity, maxBatch, segmentBytes, probeInterval, interval);
    }

    public FileAuditLogConfig withSegmentBytes(long bytes) {
        return new FileAuditLogConfig(directory, queueCapacity, maxBatch, bytes, probeInterval, checkpointInterval);
    }

    public FileAuditLogConfig withQueueCapacity(int capacity) {
        return new FileAuditLogConfig(directory, capacity, maxBatch, segmentBytes, probeInterval, checkpointInterval);
    }

    public FileAuditLogConfig withProbeInterval(Duration interval) {
        return new FileAuditLogConfig(directory, queueCapacity, maxBatch, segmentBytes, interval, checkpointInterval);
    }
}
