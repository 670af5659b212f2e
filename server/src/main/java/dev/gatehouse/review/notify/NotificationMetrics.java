package dev.gatehouse.review.notify;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts notices per target and outcome as {@code gatehouse_review_notifications} (Prometheus:
 * {@code gatehouse_review_notifications_total{target,outcome}}); does nothing without a registry. Outcomes:
 * {@code delivered}, {@code retried} (one failed post that will be repeated), {@code rejected} (given up on a
 * 4xx or a bad header file), {@code failed} (given up after the attempts or the age), {@code dropped} (pushed
 * out of a full queue).
 */
final class NotificationMetrics {
    static final String NAME = "gatehouse_review_notifications";

    /** What became of a notice (or one post of it). */
    enum Outcome {
        DELIVERED, RETRIED, REJECTED, FAILED, DROPPED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    NotificationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(String target, Outcome outcome) {
        if (registry == null) {
            return;
        }
        counters.computeIfAbsent(target + '\n' + outcome.tag(), k -> Counter.builder(NAME)
                .description("review notifications by webhook target and outcome")
                .tags("target", target, "outcome", outcome.tag()).register(registry)).increment();
    }
}
