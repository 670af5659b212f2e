package dev.gatehouse.review.notify;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

import dev.gatehouse.review.Grant;
import dev.gatehouse.review.Requester;
import dev.gatehouse.review.Review;

/**
 * One thing that happened to a review or a grant, as people are told about it.
 *
 * @param kind       what happened
 * @param breakGlass true when a break-glass member approved their own request (flagged loudly)
 * @param review     the review after the step (set for review kinds, null for grant kinds)
 * @param grant      the grant after the step (set for grant kinds, null for review kinds)
 * @param actor      who did it: the requester for created / cancelled / grant-requested, the reviewer for a
 *                   verdict or a revocation, null when the gateway did it (expiry)
 * @param reason     the actor's reason ("" when none)
 * @param at         when it happened
 * @param gatewayUrl the gateway's public URL, for links and commands ("" when unknown)
 */
public record ReviewNotice(Kind kind, boolean breakGlass, Review review, Grant grant, Requester actor,
                           String reason, Instant at, String gatewayUrl) {

    /** What happened. Review kinds carry a {@link Review}, {@code GRANT_*} kinds a {@link Grant}. */
    public enum Kind {
        CREATED, APPROVED, DENIED, EXPIRED, CANCELLED,
        GRANT_REQUESTED, GRANT_APPROVED, GRANT_DENIED, GRANT_REVOKED, GRANT_EXPIRED;

        /** The name in payloads and configuration: {@code created}, {@code grant-revoked}, … */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** True for the grant kinds. */
        public boolean aboutGrant() {
            return name().startsWith("GRANT_");
        }

        /** The kind with this wire name. */
        public static Kind fromWireName(String wire) {
            for (Kind k : values()) {
                if (k.wireName().equals(wire)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("event: '" + wire + "' (expected one of: created, approved, denied, "
                    + "expired, cancelled, grant-requested, grant-approved, grant-denied, grant-revoked, "
                    + "grant-expired)");
        }
    }

    public ReviewNotice {
        Objects.requireNonNull(kind, "kind");
        if (kind.aboutGrant() ? grant == null : review == null) {
            throw new IllegalArgumentException("notice " + kind.wireName() + ": "
                    + (kind.aboutGrant() ? "grant" : "review") + " missing (expected: the value after the step)");
        }
        if (kind.aboutGrant() ? review != null : grant != null) {
            throw new IllegalArgumentException("notice " + kind.wireName() + ": carries both a review and a grant "
                    + "(expected: only the " + (kind.aboutGrant() ? "grant" : "review") + ")");
        }
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(at, "at");
        gatewayUrl = gatewayUrl == null ? "" : gatewayUrl;
    }

    /** A notice about a review. */
    public static ReviewNotice of(Kind kind, Review review, Requester actor, String reason, boolean breakGlass,
                                  Instant at, String gatewayUrl) {
        return new ReviewNotice(kind, breakGlass, review, null, actor, reason, at, gatewayUrl);
    }

    /** A notice about a grant. */
    public static ReviewNotice of(Kind kind, Grant grant, Requester actor, String reason, boolean breakGlass,
                                  Instant at, String gatewayUrl) {
        return new ReviewNotice(kind, breakGlass, null, grant, actor, reason, at, gatewayUrl);
    }

    /** The review's or grant's id. */
    public String subjectId() {
        return review != null ? review.id() : grant.id();
    }

    /**
     * The same for every post of this notice and different for every step: {@code <id>:<event>:<version>}
     * (e.g. {@code r-…:approved:3}). Sent as the {@code X-Gatehouse-Notification-Id} header and the JSON
     * {@code id}, so a receiver can drop the duplicate a retry after a lost answer makes.
     */
    public String deliveryId() {
        long version = review != null ? review.version() : grant.version();
        return subjectId() + ":" + kind.wireName() + ":" + version;
    }

    /** True when the notice, or any verdict on its subject, is a break-glass self-approval. */
    public boolean anyBreakGlass() {
        return breakGlass || (review != null ? review.verdicts() : grant.verdicts()).stream()
                .anyMatch(dev.gatehouse.review.Verdict::breakGlass);
    }
}
