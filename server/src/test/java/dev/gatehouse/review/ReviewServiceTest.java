package dev.gatehouse.review;

import static dev.gatehouse.review.ReviewFixtures.await;
import static dev.gatehouse.review.ReviewFixtures.deleteNamespace;
import static dev.gatehouse.review.ReviewFixtures.oneApprover;
import static dev.gatehouse.review.ReviewFixtures.requirement;
import static dev.gatehouse.review.ReviewFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.policy.ReviewRequirement;
import dev.gatehouse.review.ReviewFixtures.MutableClock;
import dev.gatehouse.review.ReviewFixtures.RecordingListener;
import dev.gatehouse.review.store.SqliteReviewStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

class ReviewServiceTest {
    static final Requester ALICE = user("alice", "dev", "admins");
    static final Requester BOB = user("bob", "sre");
    static final Requester CAROL = user("carol", "dev");
    static final Requester DAVE = user("dave", "dev");

    @TempDir
    Path dir;
    Vertx vertx;
    SqliteReviewStore store;
    RecordingListener events = new RecordingListener();
    MutableClock clock = new MutableClock();
    ReviewService reviews;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        store = SqliteReviewStore.open(dir);
        reviews = new ReviewService(vertx, store, events, ReviewFixtures.settings(), clock);
    }

    @AfterEach
    void stop() {
        reviews.close();
        store.close();
        await(vertx.close());
    }

    Review open(Requester requester, ReviewRequirement requirement) {
        return await(reviews.open(requester, deleteNamespace(requester, "prod"), "rule-prod-delete", "cleanup",
                requirement));
    }

    static void refused(Future<?> step, int code, String... words) {
        assertThatThrownBy(() -> await(step)).isInstanceOfSatisfying(ReviewException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            if (words.length > 0) {
                assertThat(e.getMessage()).contains(words);
            }
        });
    }

    @Test
    void opensAPendingReviewWithAnUnguessableIdAndOneCreatedEvent() {
        Review r = open(ALICE, oneApprover());
        assertThat(r.id()).matches("r-[a-z2-7]{26}");
        assertThat(r.state()).isEqualTo(ReviewState.PENDING);
        assertThat(r.expires()).isEqualTo(ReviewFixtures.T0.plus(Duration.ofMinutes(30)));
        assertThat(events.kinds()).containsExactly(ReviewEvent.Kind.CREATED);
        assertThat(events.events.getFirst().requestAuditId()).isEqualTo("audit-prod");
    }

    @Test
    void retryOfAHeldRequestFindsItsPendingReview() {
        Review first = open(ALICE, oneApprover());
        Review again = open(ALICE, oneApprover());
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(events.kinds()).containsExactly(ReviewEvent.Kind.CREATED);
    }

    @Test
    void refusesSelfApprovalEvenForAdmins() {
        Requester adminAlice = user("alice", "sre", "admins");
        Review r = open(adminAlice, oneApprover());
        refused(reviews.approve(r.id(), adminAlice, "lgtm"), 403, "alice", "own request");
        assertThat(await(reviews.review(r.id()))).get().extracting(Review::state).isEqualTo(ReviewState.PENDING);
    }

    @Test
    void refusesApprovalByAnAgentActingForTheRequester() {
        Review r = open(ALICE, oneApprover());
        Requester bobThroughAlice = new Requester("bob", List.of("sre"), "", "delegation", List.of("alice"));
        refused(reviews.approve(r.id(), bobThroughAlice, "ok"), 403, "own request");
        Requester agent = new Requester("ci-agent", List.of("ci"), "", "delegation", List.of());
        Requester aliceThroughAgent = new Requester("alice", List.of("dev"), "", "delegation", List.of("ci-agent"));
        Review byAgent = await(reviews.open(aliceThroughAgent, deleteNamespace(aliceThroughAgent, "x"), "rule", "",
                new ReviewRequirement(List.of("ci"), List.of(), 1, false, List.of(), null, null, null)));
        refused(reviews.approve(byAgent.id(), agent, "ok"), 403, "own request");
    }

    @Test
    void refusesNonApproversNamingWhoMayApprove() {
        Review r = open(ALICE, oneApprover());
        refused(reviews.approve(r.id(), DAVE, "ok"), 403, "dave", "approvers: group sre or user carol");
        refused(reviews.deny(r.id(), DAVE, "no"), 403, "dave");
    }

    @Test
    void approverByNameOrGroupApproves() {
        Review r = open(ALICE, oneApprover());
        assertThat(await(reviews.approve(r.id(), CAROL, "ok")).state()).isEqualTo(ReviewState.APPROVED);
        Review s = await(reviews.open(ALICE, deleteNamespace(ALICE, "other"), "rule", "", oneApprover()));
        Review approved = await(reviews.approve(s.id(), BOB, "ok"));
        assertThat(approved.state()).isEqualTo(ReviewState.APPROVED);
        assertThat(approved.validUntil()).as("once-only: valid for the pending expiry")
                .isEqualTo(ReviewFixtures.T0.plus(Duration.ofMinutes(30)));
        ReviewEvent last = events.events.getLast();
        assertThat(last.kind()).isEqualTo(ReviewEvent.Kind.APPROVED);
        assertThat(last.decisive()).isTrue();
    }

    @Test
    void twoOfThreeApprovalsRelease() {
        Review r = open(ALICE, requirement(2, false, Duration.ofMinutes(10)));
        Future<Review> held = reviews.await(r.id(), Duration.ofSeconds(20));
        Review one = await(reviews.approve(r.id(), BOB, "ok"));
        assertThat(one.state()).isEqualTo(ReviewState.PENDING);
        assertThat(one.approvals()).isEqualTo(1);
        assertThat(events.events.getLast().decisive()).isFalse();
        assertThat(held.isComplete()).isFalse();
        Review two = await(reviews.approve(r.id(), CAROL, "ok"));
        assertThat(two.state()).isEqualTo(ReviewState.APPROVED);
        assertThat(two.validUntil()).isEqualTo(ReviewFixtures.T0.plus(Duration.ofMinutes(10)));
        assertThat(events.events.getLast().decisive()).isTrue();
        assertThat(await(held).state()).isEqualTo(ReviewState.APPROVED);
    }

    @Test
    void breakGlassSelfApprovalNeedsReason() {
        Requester oncallAlice = user("alice", "oncall");
        Review r = open(oncallAlice, requirement(2, false, Duration.ZERO));
        refused(reviews.approve(r.id(), oncallAlice, " "), 400, "break-glass", "reason");
        Review approved = await(reviews.approve(r.id(), oncallAlice, "prod is down"));
        assertThat(approved.state()).isEqualTo(ReviewState.APPROVED);
        assertThat(approved.verdicts().getFirst().breakGlass()).isTrue();
        assertThat(events.events.getLast().breakGlass()).isTrue();
    }

    @Test
    void breakGlassIsNotForAnAgentActingForTheRequester() {
        Requester oncallAlice = user("alice", "oncall");
        Review r = open(oncallAlice, oneApprover());
        Requester agent = new Requester("alice", List.of("oncall"), "", "delegation", List.of("bot"));
        refused(reviews.approve(r.id(), agent, "prod is down"), 403, "own request");
    }

    @Test
    void concurrentApprovalsBothCountAndNeitherBuildsOnAnUnrecordedOne() {
        ReviewListener slowAudit = e -> {
            events.recorded(e);
            return vertx.timer(40).mapEmpty();
        };
        ReviewService slow = new ReviewService(vertx, store, slowAudit, ReviewFixtures.settings(), clock);
        Review r = await(slow.open(ALICE, deleteNamespace(ALICE, "prod"), "rule", "", requirement(2, false,
                Duration.ZERO)));
        Future<Review> bob = slow.approve(r.id(), BOB, "ok");
        Future<Review> carol = slow.approve(r.id(), CAROL, "ok");
        List<Review> both = List.of(await(bob), await(carol));
        assertThat(both).extracting(Review::state).containsExactlyInAnyOrder(ReviewState.PENDING,
                ReviewState.APPROVED);
        Review last = await(slow.review(r.id())).orElseThrow();
        assertThat(last.state()).isEqualTo(ReviewState.APPROVED);
        assertThat(last.approvals()).isEqualTo(2);
        assertThat(events.events.stream().filter(ReviewEvent::decisive)).hasSize(1);
        slow.close();
    }

    @Test
    void replayedApprovalIsRefused() {
        Review r = open(ALICE, requirement(2, false, Duration.ZERO));
        await(reviews.approve(r.id(), BOB, "ok"));
        refused(reviews.approve(r.id(), BOB, "ok"), 409, "bob already approved");
        await(reviews.approve(r.id(), CAROL, "ok"));
        refused(reviews.approve(r.id(), CAROL, "ok"), 409, "approved, not pending");
        assertThat(events.kinds()).containsExactly(ReviewEvent.Kind.CREATED, ReviewEvent.Kind.APPROVED,
                ReviewEvent.Kind.APPROVED);
    }

    @Test
    void guessedIdIsNotFound() {
        Review r = open(ALICE, oneApprover());
        String guess = r.id().substring(0, 27) + (r.id().endsWith("a") ? "b" : "a");
        refused(reviews.approve(guess, BOB, "ok"), 404, "not found");
        refused(reviews.approve("r-1' OR '1'='1", BOB, "ok"), 404, "not found");
        refused(reviews.approve("../" + r.id(), BOB, "ok"), 404);
        refused(reviews.approve(r.id().toUpperCase(), BOB, "ok"), 404);
        refused(reviews.await(guess, Duration.ofSeconds(1)), 404);
        refused(reviews.cancel(null, ALICE, ""), 404);
        assertThat(await(reviews.review(guess))).isEmpty();
        assertThat(await(reviews.review("g-" + r.id().substring(2)))).isEmpty();
        assertThat(await(reviews.review(r.id()))).isPresent();
    }

    @Test
    void reasonIsRequiredWhereTheRuleSaysSo() {
        Review r = open(ALICE, requirement(1, true, Duration.ZERO));
        refused(reviews.approve(r.id(), BOB, ""), 400, "reason");
        refused(reviews.deny(r.id(), BOB, null), 400, "reason");
        assertThat(await(reviews.approve(r.id(), BOB, "checked the ticket")).state())
                .isEqualTo(ReviewState.APPROVED);
    }

    @Test
    void oneDenialEndsTheReview() {
        Review r = open(ALICE, requirement(2, false, Duration.ZERO));
        Future<Review> held = reviews.await(r.id(), Duration.ofSeconds(20));
        await(reviews.approve(r.id(), BOB, "ok"));
        Review denied = await(reviews.deny(r.id(), CAROL, "not today"));
        assertThat(denied.state()).isEqualTo(ReviewState.DENIED);
        assertThat(await(held).state()).isEqualTo(ReviewState.DENIED);
        refused(reviews.approve(r.id(), user("erin", "sre"), "ok"), 409, "denied");
        assertThat(await(reviews.redeem(r.request().fingerprint(), "a2"))).isEmpty();
    }

    @Test
    void aDenialAfterARefusedSelfApprovalStillReleasesTheHeldRequest() {
        Review r = open(ALICE, oneApprover());
        Future<Review> held = reviews.await(r.id(), Duration.ofSeconds(20));
        refused(reviews.approve(r.id(), user("alice", "sre"), "me"), 403, "own request");
        assertThat(held.isComplete()).as("a refused decision releases nothing").isFalse();
        await(reviews.deny(r.id(), BOB, "no"));
        assertThat(await(held).state()).isEqualTo(ReviewState.DENIED);
    }

    @Test
    void theRequesterMayNotDenyButMayCancel() {
        Review r = open(ALICE, oneApprover());
        refused(reviews.deny(r.id(), ALICE, "oops"), 403, "cancel it instead");
        refused(reviews.cancel(r.id(), BOB, ""), 403, "only its requester alice");
        assertThat(await(reviews.cancel(r.id(), ALICE, "not needed")).state()).isEqualTo(ReviewState.CANCELLED);
        refused(reviews.cancel(r.id(), ALICE, ""), 409, "cancelled");
        assertThat(events.kinds()).containsExactly(ReviewEvent.Kind.CREATED, ReviewEvent.Kind.CANCELLED);
    }

    @Test
    void redeemConsumesOnceOnlyApproval() {
        Review r = open(ALICE, oneApprover());
        String fp = r.request().fingerprint();
        assertThat(await(reviews.redeem(fp, "retry-0"))).as("not approved yet").isEmpty();
        await(reviews.approve(r.id(), BOB, "ok"));
        Optional<Review> used = await(reviews.redeem(fp, "retry-1"));
        assertThat(used).get().extracting(Review::state).isEqualTo(ReviewState.USED);
        assertThat(await(reviews.redeem(fp, "retry-2"))).isEmpty();
        ReviewEvent last = events.events.getLast();
        assertThat(last.kind()).isEqualTo(ReviewEvent.Kind.USED);
        assertThat(last.requestAuditId()).isEqualTo("retry-1");
        assertThat(await(reviews.redeem("0".repeat(64), "forged"))).isEmpty();
    }

    @Test
    void approvalWindowLetsRetriesThroughUntilItEnds() {
        Review r = open(ALICE, requirement(1, false, Duration.ofMinutes(10)));
        await(reviews.approve(r.id(), BOB, "ok"));
        String fp = r.request().fingerprint();
        assertThat(await(reviews.redeem(fp, "retry-1"))).get().extracting(Review::state)
                .isEqualTo(ReviewState.APPROVED);
        assertThat(await(reviews.redeem(fp, "retry-2"))).isPresent();
        clock.advance(Duration.ofMinutes(10));
        assertThat(await(reviews.redeem(fp, "retry-3"))).isEmpty();
        assertThat(events.events.stream().filter(e -> e.kind() == ReviewEvent.Kind.USED)
                .map(ReviewEvent::requestAuditId)).containsExactly("retry-1", "retry-2");
    }

    @Test
    void concurrentRedeemHasOneWinner() throws Exception {
        Review r = open(ALICE, oneApprover());
        await(reviews.approve(r.id(), BOB, "ok"));
        try (SqliteReviewStore other = SqliteReviewStore.open(dir)) {
            ReviewService replica = new ReviewService(vertx, other, events, ReviewFixtures.settings(), clock);
            List<Future<Optional<Review>>> redeems = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                redeems.add((i % 2 == 0 ? reviews : replica).redeem(r.request().fingerprint(), "retry-" + i));
            }
            long winners = redeems.stream().map(ReviewFixtures::await).filter(Optional::isPresent).count();
            assertThat(winners).isEqualTo(1);
            assertThat(events.kinds().stream().filter(k -> k == ReviewEvent.Kind.USED)).hasSize(1);
            replica.close();
        }
    }

    @Test
    void awaitReleasedByAnotherReplicasDecision() throws Exception {
        Review r = open(ALICE, oneApprover());
        Future<Review> held = reviews.await(r.id(), Duration.ofSeconds(20));
        try (SqliteReviewStore other = SqliteReviewStore.open(dir)) {
            RecordingListener otherEvents = new RecordingListener();
            ReviewService replica = new ReviewService(vertx, other, otherEvents, ReviewFixtures.settings(), clock);
            await(replica.approve(r.id(), BOB, "from the other gateway"));
            assertThat(await(held).state()).isEqualTo(ReviewState.APPROVED);
            assertThat(otherEvents.kinds()).containsExactly(ReviewEvent.Kind.APPROVED);
            replica.close();
        }
        assertThat(reviews.waiting()).isZero();
    }

    @Test
    void awaitDoesNotReleaseOnADecisionWhoseEventIsNotYetRecorded() {
        io.vertx.core.Promise<Void> audit = io.vertx.core.Promise.promise();
        ReviewListener held = e -> e.kind() == ReviewEvent.Kind.APPROVED ? audit.future() : Future.succeededFuture();
        ReviewService gated = new ReviewService(vertx, store, held, ReviewFixtures.settings(), clock);
        Review r = await(gated.open(ALICE, deleteNamespace(ALICE, "prod"), "rule", "", oneApprover()));
        Future<Review> approving = gated.approve(r.id(), BOB, "ok");
        long deadline = System.currentTimeMillis() + 5_000;
        while (store.review(r.id()).orElseThrow().state() != ReviewState.APPROVED
                && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        Future<Review> waiting = gated.await(r.id(), Duration.ofSeconds(1));
        assertThat(store.approvedReviews(r.request().fingerprint(), clock.instant())).isEmpty();
        audit.fail("audit log down");
        refused(approving, 503, "not recorded");
        assertThat(await(waiting).state()).as("the undone approval released nothing").isEqualTo(ReviewState.PENDING);
        gated.close();
    }

    @Test
    void sweepUndoesAChangeAbandonedBeforeItsEventSoTheReviewCanStillBeDecided() throws Exception {
        try (SqliteReviewStore clocked = SqliteReviewStore.open(dir, clock)) {
            ReviewService service = new ReviewService(vertx, clocked, events, ReviewFixtures.settings(), clock);
            Review r = await(service.open(ALICE, deleteNamespace(ALICE, "prod"), "rule", "", oneApprover()));
            Review crashed = new Review(r.id(), ReviewState.APPROVED, r.requester(), r.request(), r.rule(),
                    r.reason(), r.requirement(), List.of(new Verdict(BOB, true, "", clock.instant(), false)),
                    r.created(), r.expires(), clock.instant().plusSeconds(60), 2);
            assertThat(clocked.updateReview(crashed, 1)).as("a gateway wrote, then stopped before the event")
                    .isTrue();
            assertThat(await(service.redeem(r.request().fingerprint(), "a1"))).isEmpty();
            clock.advance(ReviewService.ABANDONED_AFTER.plusSeconds(1));
            await(service.sweep());
            assertThat(clocked.review(r.id())).get().extracting(Review::state).isEqualTo(ReviewState.PENDING);
            assertThat(await(service.approve(r.id(), CAROL, "ok")).approvals()).isEqualTo(1);
            service.close();
        }
    }

    @Test
    void awaitTimesOutWithPending() {
        Review r = open(ALICE, oneApprover());
        long started = System.nanoTime();
        Review held = await(reviews.await(r.id(), Duration.ofMillis(200)));
        assertThat(held.state()).isEqualTo(ReviewState.PENDING);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        assertThat(reviews.waiting()).isZero();
    }

    @Test
    void awaitOfADecidedReviewAnswersAtOnce() {
        Review r = open(ALICE, oneApprover());
        await(reviews.deny(r.id(), BOB, "no"));
        assertThat(await(reviews.await(r.id(), Duration.ofSeconds(30))).state()).isEqualTo(ReviewState.DENIED);
    }

    @Test
    void auditFailureRevertsApproval() {
        Review r = open(ALICE, oneApprover());
        Future<Review> held = reviews.await(r.id(), Duration.ofSeconds(20));
        events.failing = true;
        refused(reviews.approve(r.id(), BOB, "ok"), 503,
                "the audit log cannot be written, so the approval was not recorded");
        Review after = await(reviews.review(r.id())).orElseThrow();
        assertThat(after.state()).isEqualTo(ReviewState.PENDING);
        assertThat(after.verdicts()).isEmpty();
        assertThat(held.isComplete()).as("no hold released on an unrecorded approval").isFalse();
        assertThat(await(reviews.redeem(r.request().fingerprint(), "retry"))).isEmpty();
        events.failing = false;
        assertThat(await(reviews.approve(r.id(), BOB, "ok")).state()).isEqualTo(ReviewState.APPROVED);
        assertThat(await(held).state()).isEqualTo(ReviewState.APPROVED);
        assertThat(events.kinds()).containsExactly(ReviewEvent.Kind.CREATED, ReviewEvent.Kind.APPROVED);
    }

    @Test
    void auditFailureUndoesAnOpenedReview() {
        events.failing = true;
        refused(reviews.open(ALICE, deleteNamespace(ALICE, "prod"), "rule", "", oneApprover()), 503,
                "was not recorded");
        assertThat(await(reviews.reviews(null, 10))).isEmpty();
    }

    @Test
    void auditFailureKeepsAOnceOnlyApprovalUnused() {
        Review r = open(ALICE, oneApprover());
        await(reviews.approve(r.id(), BOB, "ok"));
        events.failing = true;
        refused(reviews.redeem(r.request().fingerprint(), "retry-1"), 503, "the use was not recorded");
        events.failing = false;
        assertThat(await(reviews.redeem(r.request().fingerprint(), "retry-2"))).isPresent();
    }

    @Test
    void expiredReviewIsExpiredThenRefused() {
        Review r = open(ALICE, oneApprover());
        clock.advance(Duration.ofMinutes(30));
        assertThat(await(reviews.review(r.id()))).get().extracting(Review::state).isEqualTo(ReviewState.EXPIRED);
        refused(reviews.approve(r.id(), BOB, "ok"), 409, "expired");
        assertThat(events.kinds()).containsExactly(ReviewEvent.Kind.CREATED, ReviewEvent.Kind.EXPIRED);
        assertThat(store.review(r.id())).get().extracting(Review::state).isEqualTo(ReviewState.EXPIRED);
    }

    @Test
    void sweepExpiresPendingReviewsAndReleasesTheirHolds() {
        Review r = open(ALICE, oneApprover());
        Future<Review> held = reviews.await(r.id(), Duration.ofSeconds(20));
        clock.advance(Duration.ofMinutes(31));
        await(reviews.sweep());
        assertThat(await(held).state()).isEqualTo(ReviewState.EXPIRED);
        assertThat(events.events.getLast().actor()).isEqualTo(ReviewEvent.SYSTEM);
    }

    @Test
    void aRetryAfterExpiryOpensANewReview() {
        Review r = open(ALICE, oneApprover());
        clock.advance(Duration.ofMinutes(31));
        Review again = open(ALICE, oneApprover());
        assertThat(again.id()).isNotEqualTo(r.id());
        assertThat(events.kinds()).containsExactly(ReviewEvent.Kind.CREATED, ReviewEvent.Kind.EXPIRED,
                ReviewEvent.Kind.CREATED);
    }

    @Test
    void mayApproveByGroupOrName() {
        assertThat(reviews.mayApprove(oneApprover(), BOB)).isTrue();
        assertThat(reviews.mayApprove(oneApprover(), CAROL)).isTrue();
        assertThat(reviews.mayApprove(oneApprover(), DAVE)).isFalse();
    }
}
