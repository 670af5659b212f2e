package dev.gatehouse.review;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.gatehouse.policy.ReviewRequirement;

/**
 * One held request and what reviewers said of it. Immutable: a change is a new value with {@code version + 1},
 * written by compare-and-set so two gateways (or two reviewers) cannot both win.
 *
 * @param id          random, unguessable (not sequential): {@code r-} + 26 base32 characters
 * @param state       where it stands
 * @param requester   who asked
 * @param request     the exact request held
 * @param rule        the policy rule that asked for review
 * @param reason      the requester's reason ("" when none)
 * @param requirement who may approve and how many
 * @param verdicts    approvals and denials, in order
 * @param created     when it was opened
 * @param expires     when it expires if still pending
 * @param validUntil  once approved: until when a retry is let through (equal to the approval time plus the
 *                    requirement's validity; for once-only approvals, the pending expiry); null before
 * @param version     the compare-and-set version, 1 when created
 */
public record Review(String id, ReviewState state, Requester requester, HeldRequest request, String rule,
                     String reason, ReviewRequirement requirement, List<Verdict> verdicts, Instant created,
                     Instant expires, Instant validUntil, long version) {
    public Review {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(rule, "rule");
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(requirement, "requirement");
        verdicts = List.copyOf(verdicts == null ? List.of() : verdicts);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(expires, "expires");
    }

    /** Distinct approvers so far. */
    public long approvals() {
        return verdicts.stream().filter(Verdict::approve).map(v -> v.reviewer().user()).distinct().count();
    }
}
