package dev.gatehouse.chain;

import io.vertx.core.Future;

/**
 * A session request held for review: the bridge accepts the session at once, shows {@link #notice()} to the
 * user (on stderr), and connects to the cluster only when {@link #released()} succeeds. When it fails (denied,
 * expired, cancelled, not decided within the hold time) its cause is a
 * {@link dev.gatehouse.status.GatewayException} whose Status ends the session.
 */
public interface PendingApproval {

    /** The review's id. */
    String reviewId();

    /**
     * What the user reads while waiting, one or more lines ending in a newline: the review id, who may approve,
     * and the command that approves.
     */
    String notice();

    /** Succeeds once approved (the approval is used by this session); fails with a GatewayException otherwise. */
    Future<Void> released();

    /**
     * The client left (or the session could not be kept) before {@link #released()} completed: nobody waits for
     * this review any more, and an approval given later must not be spent. Called at most once, on the session's
     * context; the default does nothing.
     */
    default void abandoned() {
    }
}
