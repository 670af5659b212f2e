package dev.gatehouse.review;

import io.vertx.core.Future;

/**
 * Hears every step of a review or a grant. The first listener is the audit log: its future completes once the
 * event is durable, and the step takes effect only then (when it fails, the step is undone and refused). Later
 * listeners (notifications) are chained behind it with {@link ReviewListeners#of}.
 */
@FunctionalInterface
public interface ReviewListener {

    /** Completes once the event is recorded; a failure undoes the step. */
    Future<Void> recorded(ReviewEvent event);
}
