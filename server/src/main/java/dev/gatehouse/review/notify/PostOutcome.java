package dev.gatehouse.review.notify;

import java.time.Duration;

/** What became of one post: delivered, not worth repeating, or worth repeating (maybe after a given wait). */
sealed interface PostOutcome {

    /** A 2xx answer. */
    record Delivered(int status) implements PostOutcome {
    }

    /** A refusal that a repeat would not change (4xx other than 408 and 429, a redirect, a bad header file). */
    record GiveUp(String why) implements PostOutcome {
    }

    /**
     * A failure a later post may not meet (5xx, 408, 429, no connection, no answer in time).
     *
     * @param retryAfter the receiver's {@code Retry-After}, or null
     */
    record Retry(String why, Duration retryAfter) implements PostOutcome {
    }
}
