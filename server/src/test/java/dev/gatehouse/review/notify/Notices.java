package dev.gatehouse.review.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.gatehouse.policy.ReviewRequirement;
import dev.gatehouse.review.Grant;
import dev.gatehouse.review.HeldRequest;
import dev.gatehouse.review.Requester;
import dev.gatehouse.review.Review;
import dev.gatehouse.review.ReviewState;
import dev.gatehouse.review.Verdict;
import dev.gatehouse.review.notify.ReviewNotice.Kind;

/** Sample reviews, grants and notices for the tests. */
final class Notices {
    static final Instant T0 = Instant.parse("2026-12-07T18:00:00Z");
    static final Requester ALICE = new Requester("alice", List.of("dev"), "https://idp.example", "oidc", List.of());
    static final Requester BOB = new Requester("bob", List.of("sre"), "https://idp.example", "oidc", List.of());
    static final ReviewRequirement TWO_SRES = new ReviewRequirement(List.of("sre"), List.of("carol"), 2, false,
            List.of("oncall"), null, Duration.ZERO, null);
    static final String BODY_SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String FINGERPRINT = "fp-7c4a8d09ca3762af61e59520943dc26494f8941b";

    private Notices() {
    }

    static HeldRequest deleteNamespace() {
        return new HeldRequest("audit-1", "prod", "DELETE", "/api/v1/namespaces/x?dryRun=All&secretish=1", "delete",
                "", "namespaces", "", "", "x", BODY_SHA, 42, FINGERPRINT);
    }

    static Review review(ReviewState state, String reason, List<Verdict> verdicts) {
        return new Review("r-abcdefghijklmnopqrstuvwxyz", state, ALICE, deleteNamespace(), "prod-deletes", reason,
                TWO_SRES, verdicts, T0, T0.plusSeconds(900), null, 1);
    }

    static ReviewNotice created(String reason) {
        return ReviewNotice.of(Kind.CREATED, review(ReviewState.PENDING, reason, List.of()), ALICE, reason, false,
                T0, "https://gatehouse.example");
    }

    static ReviewNotice approvedBy(Requester who, boolean breakGlass, ReviewState after) {
        Verdict v = new Verdict(who, true, "looks fine", T0.plusSeconds(60), breakGlass);
        return ReviewNotice.of(Kind.APPROVED, review(after, "cleanup", List.of(v)), who, "looks fine", breakGlass,
                T0.plusSeconds(60), "https://gatehouse.example");
    }

    static Grant grant(ReviewState state) {
        return new Grant("g-abcdefghijklmnopqrstuvwxyz", state, ALICE,
                new Grant.Scope("prod", List.of("web"), List.of("delete", "get"), List.of("pods")),
                Duration.ofHours(2), "incident 42", TWO_SRES, List.of(), T0, T0.plusSeconds(900), null, "", 1);
    }

    static ReviewNotice grantRequested() {
        return ReviewNotice.of(Kind.GRANT_REQUESTED, grant(ReviewState.PENDING), ALICE, "incident 42", false, T0,
                "https://gatehouse.example");
    }
}
