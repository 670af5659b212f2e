package dev.gatehouse.review;

import static dev.gatehouse.review.ReviewFixtures.await;
import static dev.gatehouse.review.ReviewFixtures.user;
import static dev.gatehouse.review.ReviewServiceTest.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.review.ReviewFixtures.MutableClock;
import dev.gatehouse.review.ReviewFixtures.RecordingListener;
import dev.gatehouse.review.store.SqliteReviewStore;
import io.vertx.core.Vertx;

class ReviewServiceGrantTest {
    static final Requester ALICE = user("alice", "dev");
    static final Requester BOB = user("bob", "sre");
    static final Requester DAVE = user("dave", "dev");
    static final Grant.Scope LOGS = new Grant.Scope("prod", List.of("web"), List.of("get"), List.of("pods/log"));
    static final RequestInfo READ_LOG = new RequestInfo("prod", "/api/v1/namespaces/web/pods/web-1/log", true, "get",
            "api", "", "v1", "web", "pods", "log", "web-1");
    static final RequestInfo EXEC = new RequestInfo("prod", "/api/v1/namespaces/web/pods/web-1/exec", true,
            "create", "api", "", "v1", "web", "pods", "exec", "web-1");

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

    Grant approvedGrant() {
        Grant g = await(reviews.requestGrant(ALICE, LOGS, Duration.ofHours(1), "incident 42"));
        return await(reviews.approveGrant(g.id(), BOB, "ok"));
    }

    @Test
    void approvedGrantLetsCoveredRequestsPassAndRecordsEachUse() {
        Grant g = await(reviews.requestGrant(ALICE, LOGS, Duration.ofHours(1), "incident 42"));
        assertThat(g.id()).matches("g-[a-z2-7]{26}");
        assertThat(await(reviews.grantFor(ALICE, READ_LOG, "a1"))).as("pending grants cover nothing").isEmpty();
        Grant approved = await(reviews.approveGrant(g.id(), BOB, "ok"));
        assertThat(approved.state()).isEqualTo(ReviewState.APPROVED);
        assertThat(approved.validUntil()).isEqualTo(ReviewFixtures.T0.plus(Duration.ofHours(1)));
        assertThat(await(reviews.grantFor(ALICE, READ_LOG, "a2"))).get().extracting(Grant::id).isEqualTo(g.id());
        assertThat(await(reviews.grantFor(ALICE, EXEC, "a3"))).as("pods/log does not cover pods/exec").isEmpty();
        assertThat(await(reviews.grantFor(DAVE, READ_LOG, "a4"))).as("another user's grant").isEmpty();
        assertThat(events.kinds()).containsExactly(ReviewEvent.Kind.GRANT_REQUESTED, ReviewEvent.Kind.GRANT_APPROVED,
                ReviewEvent.Kind.GRANT_USED);
        assertThat(events.events.getLast().requestAuditId()).isEqualTo("a2");
    }

    @Test
    void grantRequestsAreValidatedAndNeedAReason() {
        refused(reviews.requestGrant(ALICE, LOGS, Duration.ofHours(9), "x"), 400, "duration");
        refused(reviews.requestGrant(ALICE, new Grant.Scope("", List.of(), List.of("get"), List.of("pods")),
                Duration.ofHours(1), "x"), 400, "scope.cluster");
        refused(reviews.requestGrant(ALICE, LOGS, Duration.ofHours(1), ""), 400, "reason");
        assertThat(events.events).isEmpty();
    }

    @Test
    void grantsFollowTheReviewerRules() {
        Grant g = await(reviews.requestGrant(ALICE, LOGS, Duration.ofHours(1), "incident"));
        refused(reviews.approveGrant(g.id(), user("alice", "sre"), "me"), 403, "own request");
        refused(reviews.approveGrant(g.id(), DAVE, "ok"), 403, "approvers: group sre");
        refused(reviews.approveGrant(g.id(), BOB, ""), 400, "reason");
        refused(reviews.approveGrant("g-" + "a".repeat(26), BOB, "ok"), 404, "not found");
        refused(reviews.approveGrant("r-" + g.id().substring(2), BOB, "ok"), 404);
        assertThat(await(reviews.denyGrant(g.id(), BOB, "no")).state()).isEqualTo(ReviewState.DENIED);
        refused(reviews.approveGrant(g.id(), user("erin", "sre"), "ok"), 409, "denied");
    }

    @Test
    void grantExpiresAtItsValidityEnd() {
        Grant g = approvedGrant();
        clock.advance(Duration.ofMinutes(59));
        assertThat(await(reviews.grantFor(ALICE, READ_LOG, "a1"))).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(await(reviews.grantFor(ALICE, READ_LOG, "a2"))).isEmpty();
        assertThat(await(reviews.grant(g.id()))).get().extracting(Grant::state).isEqualTo(ReviewState.EXPIRED);
        await(reviews.sweep());
        assertThat(store.grant(g.id())).get().extracting(Grant::state).isEqualTo(ReviewState.EXPIRED);
        assertThat(events.kinds()).endsWith(ReviewEvent.Kind.GRANT_EXPIRED);
    }

    @Test
    void pendingGrantExpiresUnanswered() {
        Grant g = await(reviews.requestGrant(ALICE, LOGS, Duration.ofHours(1), "incident"));
        clock.advance(Duration.ofHours(1));
        refused(reviews.approveGrant(g.id(), BOB, "late"), 409, "expired");
        assertThat(events.kinds()).endsWith(ReviewEvent.Kind.GRANT_EXPIRED);
    }

    @Test
    void revokeEndsAGrantAndNamesWhoRevoked() {
        Grant g = approvedGrant();
        refused(reviews.revokeGrant(g.id(), DAVE, "x"), 403, "only its requester alice");
        Grant revoked = await(reviews.revokeGrant(g.id(), BOB, "incident over"));
        assertThat(revoked.state()).isEqualTo(ReviewState.REVOKED);
        assertThat(revoked.revokedBy()).isEqualTo("bob");
        assertThat(await(reviews.grantFor(ALICE, READ_LOG, "a1"))).isEmpty();
        refused(reviews.revokeGrant(g.id(), BOB, "again"), 409, "revoked");
        Grant mine = approvedGrant();
        assertThat(await(reviews.revokeGrant(mine.id(), ALICE, "done")).revokedBy()).isEqualTo("alice");
    }

    @Test
    void onlyTheRequesterCancelsAPendingGrant() {
        Grant g = await(reviews.requestGrant(ALICE, LOGS, Duration.ofHours(1), "incident"));
        refused(reviews.cancelGrant(g.id(), BOB, ""), 403, "only its requester");
        assertThat(await(reviews.cancelGrant(g.id(), ALICE, "")).state()).isEqualTo(ReviewState.CANCELLED);
        assertThat(await(reviews.grants(ReviewState.CANCELLED, 10))).extracting(Grant::id).containsExactly(g.id());
    }

    @Test
    void auditFailureRevertsAGrantApproval() {
        Grant g = await(reviews.requestGrant(ALICE, LOGS, Duration.ofHours(1), "incident"));
        events.failing = true;
        refused(reviews.approveGrant(g.id(), BOB, "ok"), 503, "so the approval was not recorded");
        events.failing = false;
        assertThat(await(reviews.grant(g.id()))).get().extracting(Grant::state).isEqualTo(ReviewState.PENDING);
        assertThat(await(reviews.grantFor(ALICE, READ_LOG, "a1"))).isEmpty();
    }

    @Test
    void aGrantUseThatCannotBeRecordedDoesNotPass() {
        approvedGrant();
        events.failing = true;
        refused(reviews.grantFor(ALICE, READ_LOG, "a1"), 503, "the use was not recorded");
    }
}
