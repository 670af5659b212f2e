package dev.gatehouse.review;

import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Future;

/**
 * Listeners in a row: the {@code evidence} listener (the audit log) decides the step's outcome; the
 * {@code notifiers} hear each event once the evidence is recorded and never block or fail the step — their futures
 * are not awaited, and their failures (returned or thrown) are only logged.
 */
public final class ReviewListeners implements ReviewListener {
    private static final Logger LOG = LoggerFactory.getLogger(ReviewListeners.class);

    private final ReviewListener evidence;
    private final List<ReviewListener> notifiers;

    private ReviewListeners(ReviewListener evidence, List<ReviewListener> notifiers) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.notifiers = List.copyOf(notifiers);
    }

    /** {@code evidence} first (awaited), then each notifier (told, not awaited). */
    public static ReviewListener of(ReviewListener evidence, ReviewListener... notifiers) {
        return new ReviewListeners(evidence, List.of(notifiers));
    }

    @Override
    public Future<Void> recorded(ReviewEvent event) {
        Future<Void> recorded;
        try {
            recorded = evidence.recorded(event);
        } catch (RuntimeException e) {
            recorded = Future.failedFuture(e);
        }
        return recorded.onSuccess(v -> notifiers.forEach(n -> tell(n, event)));
    }

    private static void tell(ReviewListener notifier, ReviewEvent event) {
        try {
            notifier.recorded(event).onFailure(e -> LOG.warn("review {}: notifier {} failed on {}: {}",
                    event.subjectId(), notifier.getClass().getSimpleName(), event.kind().wireName(), e.toString()));
        } catch (RuntimeException e) {
            LOG.warn("review {}: notifier {} failed on {}: {}", event.subjectId(),
                    notifier.getClass().getSimpleName(), event.kind().wireName(), e.toString());
        }
    }
}
