package dev.gatehouse.review.notify;

/**
 * Tells people about a review step. {@link #notify(ReviewNotice)} returns at once, never blocks and never throws
 * for a delivery problem: delivery happens later, best effort; a lost notice never changes a review.
 */
public interface ReviewNotifier {

    /** Tells nobody. */
    ReviewNotifier NONE = notice -> { };

    /** Queues the notice for delivery and returns at once. */
    void notify(ReviewNotice notice);
}
