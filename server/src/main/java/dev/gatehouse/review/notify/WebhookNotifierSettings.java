package dev.gatehouse.review.notify;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link WebhookNotifier} needs: its targets and how hard it tries.
 *
 * @param targets        the webhooks (names unique); none means the notifier does nothing
 * @param retry          backoff, attempts and age limit
 * @param queueCapacity  notices waiting per target at most (1..100000); when full the oldest is dropped
 * @param requestTimeout the longest one post may take, connect to last response byte (> 0, ≤ 5 min)
 */
public record WebhookNotifierSettings(List<WebhookTarget> targets, RetryPolicy retry, int queueCapacity,
                                      Duration requestTimeout) {
    /** Notices waiting per target by default. */
    public static final int DEFAULT_QUEUE_CAPACITY = 1000;
    /** One post's time limit by default. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    public WebhookNotifierSettings {
        targets = List.copyOf(targets == null ? List.of() : targets);
        retry = retry == null ? RetryPolicy.DEFAULT : retry;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        if (queueCapacity < 1 || queueCapacity > 100_000) {
            throw new IllegalArgumentException("reviews.notifyQueue: " + queueCapacity + " (expected: 1..100000)");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero() || requestTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("reviews.notifyTimeout: " + requestTimeout
                    + " (expected: > 0 and <= PT5M)");
        }
        Set<String> names = new HashSet<>();
        for (WebhookTarget t : targets) {
            Objects.requireNonNull(t, "targets");
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("reviews.notify[].name: '" + t.name()
                        + "' is used twice (expected: unique names)");
            }
        }
    }

    /** These targets with the default retry policy, queue capacity and request timeout. */
    public static WebhookNotifierSettings of(List<WebhookTarget> targets) {
        return new WebhookNotifierSettings(targets, RetryPolicy.DEFAULT, DEFAULT_QUEUE_CAPACITY,
                DEFAULT_REQUEST_TIMEOUT);
    }
}
