package dev.gatehouse.review.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When to try a post again: exponential backoff from {@code initialDelay}, doubled per attempt up to
 * {@code maxDelay}, with "equal jitter" (a random point in the upper half of the step, so receivers that come
 * back are not hit by every gateway at once); a receiver's {@code Retry-After} is honoured up to
 * {@code maxDelay}. A notice is given up after {@code maxAttempts} posts or once it is older than
 * {@code maxAge}, whichever comes first.
 *
 * @param initialDelay the first retry's delay (> 0)
 * @param maxDelay     the longest wait between two posts (≥ initialDelay)
 * @param maxAttempts  posts of one notice at most, the first included (≥ 1)
 * @param maxAge       how long after it was queued a notice is still worth sending (> 0)
 */
public record RetryPolicy(Duration initialDelay, Duration maxDelay, int maxAttempts, Duration maxAge) {
    /** 1 s doubling to 5 min, 10 posts, 1 h. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5), 10,
            Duration.ofHours(1));

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(maxAge, "maxAge");
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("retry.initialDelay: " + initialDelay + " (expected: > 0)");
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("retry.maxDelay: " + maxDelay + " (expected: >= initialDelay "
                    + initialDelay + ")");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry.maxAttempts: " + maxAttempts + " (expected: >= 1)");
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("retry.maxAge: " + maxAge + " (expected: > 0)");
        }
    }

    /**
     * The wait before post number {@code attempt + 1}, after {@code attempt} failed posts (≥ 1): the jittered
     * backoff, or the receiver's {@code retryAfter} (null when it sent none) when that is longer, never more
     * than {@code maxDelay}.
     */
    public Duration delay(int attempt, Duration retryAfter, RandomGenerator random) {
        long step = initialDelay.toMillis();
        for (int i = 1; i < attempt && step < maxDelay.toMillis(); i++) {
            step *= 2;
        }
        step = Math.min(step, maxDelay.toMillis());
        long half = step / 2;
        long jittered = half + random.nextLong(step - half + 1);
        long wanted = retryAfter == null ? 0 : Math.min(retryAfter.toMillis(), maxDelay.toMillis());
        return Duration.ofMillis(Math.max(jittered, wanted));
    }

    /** True when a notice that has been posted {@code attempts} times and queued {@code age} ago is given up. */
    public boolean exhausted(int attempts, Duration age) {
        return attempts >= maxAttempts || age.compareTo(maxAge) >= 0;
    }

    /**
     * A {@code Retry-After} header's wait: delta-seconds or an HTTP date; null when absent or unreadable, zero
     * for a date in the past.
     */
    public static Duration parseRetryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String v = header.trim();
        if (v.matches("[0-9]{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
