package dev.gatehouse.review;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One step of a review or a grant, as the {@link ReviewListener}s hear it: after the store holds the change,
 * before anyone acts on it.
 *
 * @param kind           what happened
 * @param actor          who did it ({@link ReviewEvent#SYSTEM} for expiry)
 * @param review         the review after the change, or null for a grant's step
 * @param grant          the grant after the change, or null for a review's step
 * @param reason         the actor's reason ("" when none)
 * @param time           when
 * @param breakGlass     a break-glass member approved their own request
 * @param decisive       this approval completed the review (or grant)
 * @param requestAuditId the audit id of the request the step is about: the held request for CREATED, the
 *                       request let through for USED and GRANT_USED; "" otherwise
 */
public record ReviewEvent(Kind kind, Requester actor, Review review, Grant grant, String reason, Instant time,
                          boolean breakGlass, boolean decisive, String requestAuditId) {
    /** The gateway itself, as the actor of expiry. */
    public static final Requester SYSTEM = new Requester("system:gatehouse", null, null, null, null);

    public ReviewEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(actor, "actor");
        if ((review == null) == (grant == null)) {
            throw new IllegalArgumentException("an event is about a review or a grant (expected: exactly one)");
        }
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(time, "time");
        requestAuditId = requestAuditId == null ? "" : requestAuditId;
    }

    /** The id of the review or grant. */
    public String subjectId() {
        return review != null ? review.id() : grant.id();
    }

    /** The state after the change. */
    public ReviewState state() {
        return review != null ? review.state() : grant.state();
    }

    /** The steps. */
    public enum Kind {
        CREATED, APPROVED, DENIED, EXPIRED, CANCELLED, USED,
        GRANT_REQUESTED, GRANT_APPROVED, GRANT_DENIED, GRANT_CANCELLED, GRANT_REVOKED, GRANT_EXPIRED, GRANT_USED;

        /** True for the steps of grants. */
        public boolean grant() {
            return name().startsWith("GRANT_");
        }

        /** The step as the audit event's verb: created, approved, grant-requested, grant-used, ... */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
