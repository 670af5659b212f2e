package dev.gatehouse.review.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.MemoryAuditLog;
import dev.gatehouse.policy.ReviewRequirement;
import dev.gatehouse.review.Grant;
import dev.gatehouse.review.HeldRequest;
import dev.gatehouse.review.Requester;
import dev.gatehouse.review.Review;
import dev.gatehouse.review.ReviewEvent;
import dev.gatehouse.review.ReviewState;
import dev.gatehouse.review.Verdict;

class ReviewAuditEventsTest {
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
    private static final Requester ALICE = new Requester("alice", List.of("dev"), "https://idp", "oidc", List.of());
    private static final Requester BOB = new Requester("bob", List.of("sre"), "https://idp", "oidc",
            List.of("review-bot"));
    private static final ReviewRequirement TWO = new ReviewRequirement(List.of("sre"), List.of(), 2, true,
            List.of(), null, Duration.ZERO, null);

    private static Review review(ReviewState state, List<Verdict> verdicts) {
        HeldRequest held = new HeldRequest("req-1", "prod", "POST", "/api/v1/namespaces/web/pods/web-1/exec", "create",
                "", "pods", "exec", "web", "web-1", "", 0, "f".repeat(64));
        return new Review("r-" + "a".repeat(26), state, ALICE, held, "exec-in-prod", "debug", TWO, verdicts, T0,
                T0.plusSeconds(600), null, 2);
    }

    @Test
    void approvalIsAReviewEventWithTheDetailsTheIndexReads() {
        Review r = review(ReviewState.PENDING, List.of(new Verdict(BOB, true, "looked", T0, false)));
        AuditEvent e = ReviewAuditEvents.event(new ReviewEvent(ReviewEvent.Kind.APPROVED, BOB, r, null, "looked", T0,
                false, false, ""));
        assertThat(e.verb()).isEqualTo("approved");
        assertThat(e.user().username()).isEqualTo("bob");
        assertThat(e.gatehouse().type()).isEqualTo("review");
        assertThat(e.gatehouse().decision()).isEqualTo("pending");
        assertThat(e.gatehouse().cluster()).isEqualTo("prod");
        assertThat(e.gatehouse().authn().actorChain()).containsExactly("review-bot");
        assertThat(e.objectRef()).isEqualTo(new AuditEvent.ObjectRef("pods", "web", "web-1", "", null, "exec"));
        assertThat(e.gatehouse().details()).containsEntry("reviewId", r.id()).containsEntry("requestAuditId", "req-1")
                .containsEntry("rule", "exec-in-prod").containsEntry("approvals", "1/2")
                .containsEntry("breakGlass", "false").containsEntry("decisive", "false")
                .containsEntry("reason", "looked").containsEntry("fingerprint", "f".repeat(64));
        assertThat(e.auditID()).isNotEqualTo("req-1");
    }

    @Test
    void grantStepsAreGrantEventsNamedByTheGrantId() {
        Grant.Scope scope = new Grant.Scope("prod", List.of("web"), List.of("get"), List.of("pods/log"));
        Grant g = new Grant("g-" + "b".repeat(26), ReviewState.APPROVED, ALICE, scope, Duration.ofHours(1), "x", TWO,
                List.of(), T0, T0.plusSeconds(60), T0.plusSeconds(3600), "", 3);
        AuditEvent e = ReviewAuditEvents.event(new ReviewEvent(ReviewEvent.Kind.GRANT_USED, ALICE, null, g, "", T0,
                false, false, "req-9"));
        assertThat(e.verb()).isEqualTo("grant-used");
        assertThat(e.gatehouse().type()).isEqualTo("grant");
        assertThat(e.gatehouse().decision()).isEqualTo("approved");
        assertThat(e.objectRef().resource()).isEqualTo("grants");
        assertThat(e.gatehouse().details()).containsEntry("grantId", g.id()).containsEntry("requestAuditId", "req-9")
                .doesNotContainKey("reviewId");
    }

    @Test
    void completesOnlyOnceTheEventIsDurable() throws Exception {
        MemoryAuditLog log = new MemoryAuditLog();
        ReviewAuditEvents audit = new ReviewAuditEvents(log);
        ReviewEvent created = new ReviewEvent(ReviewEvent.Kind.CREATED, ALICE, review(ReviewState.PENDING, List.of()),
                null, "debug", T0, false, false, "req-1");
        audit.recorded(created).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(log.events()).singleElement().extracting(AuditEvent::verb).isEqualTo("created");
        log.failWith("disk full");
        assertThatThrownBy(() -> audit.recorded(created).toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS)).hasMessageContaining("disk full");
    }
}
