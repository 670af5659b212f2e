package dev.gatehouse.audit.retention;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How long evidence is kept.
 *
 * @param hot        how long sealed segments stay in the live directory, indexed and immediately queryable
 *                   ({@code audit.retention.hot}, commonly 90 days)
 * @param keep       how long evidence is kept at all ({@code audit.retention.keep}, commonly 365 days)
 * @param archiveDir where sealed segments are copied ({@code audit.retention.archiveDir}); null: no archive, and
 *                   segments stay in the live directory for the whole {@code keep} period
 */
public record RetentionPolicy(Duration hot, Duration keep, Path archiveDir) {
    public RetentionPolicy {
        Objects.requireNonNull(hot, "audit.retention.hot");
        Objects.requireNonNull(keep, "audit.retention.keep");
        if (hot.isNegative() || keep.compareTo(hot) < 0) {
            throw new IllegalArgumentException("audit.retention: hot " + hot + ", keep " + keep
                    + " (expected: 0 <= hot <= keep)");
        }
    }

    /** 12 months kept, the latest 3 queryable in the live directory. */
    public static RetentionPolicy common(Path archiveDir) {
        return new RetentionPolicy(Duration.ofDays(90), Duration.ofDays(365), archiveDir);
    }

    /** How long segments stay in the live directory. */
    Duration live() {
        return archiveDir == null ? keep : hot;
    }
}
