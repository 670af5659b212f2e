package dev.gatehouse.review;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where reviews and grants live, shared by every gateway replica. Blocking: call it off the event loop.
 *
 * <p>Writes are compare-and-set on {@code version}: {@link #updateReview} writes a value only while the stored
 * one still has the expected version, so of two reviewers (or two gateways) deciding at once exactly one wins.
 * A written value is <em>unsettled</em> until {@link #settleReview} (or {@link #settleGrant}) marks it, which the
 * service does once the change's audit event is durable: what lets a request through (the approved review of a
 * fingerprint, a user's approved grants) and the change feed see settled values only, so no replica acts on a
 * decision whose evidence is not written.
 *
 * <p>Every write and every settle bumps one store-wide sequence; {@link #changedSince} returns the settled values
 * written after a position, which is how a replica learns of a decision another replica made.
 */
public interface ReviewStore extends AutoCloseable {

    /**
     * Adds a new review (its version is 1), unsettled; false when the id exists or the requester already has a
     * pending review of the same fingerprint.
     */
    boolean createReview(Review review);

    /** The review with this id, settled or not. */
    Optional<Review> review(String id);

    /** Newest first; {@code state} null for any. */
    List<Review> reviews(ReviewState state, int limit);

    /**
     * Writes {@code next} (unsettled) if the stored review still has version {@code expectedVersion} and that value
     * is settled; false when it changed meanwhile, is gone, or its change is not yet recorded (so no step builds on
     * a change whose evidence may never be written). {@code next.version()} must be greater than
     * {@code expectedVersion}.
     */
    boolean updateReview(Review next, long expectedVersion);

    /**
     * Undoes an unsettled change: writes {@code previous} (settled) if the stored review still has the unsettled
     * version {@code unsettledVersion}. {@code previous.version()} must be greater than {@code unsettledVersion}.
     */
    boolean undoReview(Review previous, long unsettledVersion);

    /** True when the review's current value is {@code version} and settled (its change recorded). */
    boolean reviewSettled(String id, long version);

    /** Marks the review's value of {@code version} settled; false when the review has another version now. */
    boolean settleReview(String id, long version);

    /** Removes a review only while it still has {@code version} and is unsettled (a creation undone). */
    boolean discardReview(String id, long version);

    /** The requester's pending review of this fingerprint, if any. */
    Optional<Review> pendingReview(String requesterUser, String fingerprint);

    /** Settled APPROVED reviews of this fingerprint still valid at {@code now}, newest first. */
    List<Review> approvedReviews(String fingerprint, Instant now);

    /** PENDING reviews whose {@code expires} is at or before {@code now}. */
    List<Review> pendingReviewsExpiredAt(Instant now);

    /** Adds a new grant (version 1), unsettled; false when the id exists. */
    boolean createGrant(Grant grant);

    Optional<Grant> grant(String id);

    /** Newest first; {@code state} null for any. */
    List<Grant> grants(ReviewState state, int limit);

    /** Compare-and-set, as {@link #updateReview}. */
    boolean updateGrant(Grant next, long expectedVersion);

    /** As {@link #undoReview}. */
    boolean undoGrant(Grant previous, long unsettledVersion);

    boolean settleGrant(String id, long version);

    boolean discardGrant(String id, long version);

    /** The user's settled APPROVED grants valid at {@code now}. */
    List<Grant> approvedGrants(String requesterUser, Instant now);

    /** PENDING grants past {@code expires} and APPROVED grants past {@code validUntil}, at {@code now}. */
    List<Grant> grantsExpiredAt(Instant now);

    /**
     * Undoes changes left unsettled since before {@code writtenBefore} — a gateway stopped between a write and
     * its event — by restoring the value each replaced (settled) or removing an unsettled creation; returns how
     * many. Without this a review whose change was abandoned could never be decided again.
     */
    int undoAbandoned(Instant writtenBefore);

    /** The store-wide sequence's current value (0 for an empty store). */
    long lastChange();

    /** Settled reviews and grants written after position {@code seq}, and the position they bring the reader to. */
    Changes changedSince(long seq);

    /** What {@link #changedSince} found: read on from {@code seq}. */
    record Changes(long seq, List<Review> reviews, List<Grant> grants) {
        public Changes {
            reviews = List.copyOf(reviews);
            grants = List.copyOf(grants);
        }
    }

    /**
     * Asks to be told, on some thread of the store's, when a change may have been settled by another replica, so a
     * reader of {@link #changedSince} need not wait for its next poll (which stays the safety net). A store no
     * other process writes to never calls it.
     */
    default void onChange(Runnable listener) {
    }

    @Override
    void close();
}
