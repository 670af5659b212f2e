package dev.gatehouse.review;

import java.time.Duration;
import java.util.Objects;

import dev.gatehouse.policy.ReviewRequirement;

/**
 * The gateway's review settings.
 *
 * @param holdTime         how long a held request waits for a decision when its rule does not say
 * @param pendingExpiry    how long a review or grant request stays pending when its requirement does not say
 * @param grantRequirement who may approve grants, how many, and whether a reason is required
 * @param maxGrantDuration the longest grant that may be asked for
 * @param pollInterval     how often the store's change feed is read while someone waits for a decision
 * @param sweepInterval    how often pending reviews and grants past their expiry are expired
 */
public record ReviewSettings(Duration holdTime, Duration pendingExpiry, ReviewRequirement grantRequirement,
                             Duration maxGrantDuration, Duration pollInterval, Duration sweepInterval) {
    public ReviewSettings {
        positive("holdTime", holdTime);
        positive("pendingExpiry", pendingExpiry);
        Objects.requireNonNull(grantRequirement, "grantRequirement");
        positive("maxGrantDuration", maxGrantDuration);
        positive("pollInterval", pollInterval);
        positive("sweepInterval", sweepInterval);
    }

    /**
     * Hold 30 s, pending for 1 h, grants up to 8 h under {@code grantRequirement}, feed polled every 500 ms while
     * someone waits, expiry swept every 10 s.
     */
    public static ReviewSettings defaults(ReviewRequirement grantRequirement) {
        return new ReviewSettings(Duration.ofSeconds(30), Duration.ofHours(1), grantRequirement, Duration.ofHours(8),
                Duration.ofMillis(500), Duration.ofSeconds(10));
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("reviews." + name + ": " + d + " (expected: > 0)");
        }
    }
}
