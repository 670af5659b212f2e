package dev.gatehouse.review;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.policy.ReviewRequirement;
import io.vertx.core.Future;

/**
 * Reviews of held requests and time-boxed grants: the rules (who may approve, N of M, no self-approval,
 * reasons, break-glass, expiry) over a {@link ReviewStore}. Every method returns at once; store calls run off
 * the event loop, and waiting for a decision holds no thread. Every step is an audit event before its effect
 * is visible (a released hold, an answer to the reviewer). Failures are {@link ReviewException}s.
 */
public interface Reviews {

    /**
     * Opens a review for a held request — or, when a pending review of the same requester has the same
     * fingerprint, returns that one (a retry does not open a second review).
     */
    Future<Review> open(Requester requester, HeldRequest request, String rule, String reason,
                        ReviewRequirement requirement);

    /**
     * Completes with the review once it is no longer pending (decided here or by another gateway sharing the
     * store), or with its still-pending value after {@code holdTime}.
     */
    Future<Review> await(String id, Duration holdTime);

    /**
     * Lets a request through on an approval: the approved, unexpired review of this fingerprint, consumed when it
     * was approved for one use (recorded as used by {@code auditId}); empty when there is none.
     */
    Future<Optional<Review>> redeem(String fingerprint, String auditId);

    /** The approved, unexpired, unrevoked grant of {@code requester} that covers the request (use recorded). */
    Future<Optional<Grant>> grantFor(Requester requester, RequestInfo request, String auditId);

    Future<Review> approve(String id, Requester reviewer, String reason);

    Future<Review> deny(String id, Requester reviewer, String reason);

    /** Only the requester may cancel, and only while pending. */
    Future<Review> cancel(String id, Requester requester, String reason);

    Future<Optional<Review>> review(String id);

    /** Newest first; {@code state} null for any. */
    Future<List<Review>> reviews(ReviewState state, int limit);

    Future<Grant> requestGrant(Requester requester, Grant.Scope scope, Duration duration, String reason);

    Future<Grant> approveGrant(String id, Requester reviewer, String reason);

    Future<Grant> denyGrant(String id, Requester reviewer, String reason);

    /** Reviewers (who may approve grants) and the requester may revoke an approved grant. */
    Future<Grant> revokeGrant(String id, Requester who, String reason);

    Future<Grant> cancelGrant(String id, Requester requester, String reason);

    Future<Optional<Grant>> grant(String id);

    Future<List<Grant>> grants(ReviewState state, int limit);

    /** True when {@code who} may approve under {@code requirement} (as a member of a group or by name). */
    boolean mayApprove(ReviewRequirement requirement, Requester who);
}
