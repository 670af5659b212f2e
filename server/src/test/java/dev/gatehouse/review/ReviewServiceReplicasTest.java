package dev.gatehouse.review;

import static dev.gatehouse.review.ReviewFixtures.await;
import static dev.gatehouse.review.ReviewFixtures.deleteNamespace;
import static dev.gatehouse.review.ReviewFixtures.oneApprover;
import static dev.gatehouse.review.ReviewFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gatehouse.policy.ReviewRequirement;
import dev.gatehouse.replica.PostgresTestDatabase;
import dev.gatehouse.replica.SharedDatabase;
import dev.gatehouse.review.ReviewFixtures.MutableClock;
import dev.gatehouse.review.ReviewFixtures.RecordingListener;
import dev.gatehouse.review.store.PostgresReviewStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Two replicas' review services on one PostgreSQL database (each its own Vert.x, pool and listening connection):
 * a request held on A is released by an approval that arrives at B through LISTEN/NOTIFY — the poll interval is a
 * minute here, so only the notification can release it in time — and an unreachable database fails every review
 * step closed with a 503 that says why, after which nothing is lost.
 */
class ReviewServiceReplicasTest {
    static final Requester ALICE = user("alice", "dev");
    static final Requester BOB = user("bob", "sre");

    PostgresTestDatabase database;
    Replica a;
    Replica b;

    /** One replica: its own event loop, pool, notification connection and service. */
    record Replica(Vertx vertx, SharedDatabase db, ReviewService reviews, RecordingListener events) {
        static Replica start(PostgresTestDatabase database, Duration poll) {
            Vertx vertx = Vertx.vertx();
            SharedDatabase db = SharedDatabase.open(database.config());
            RecordingListener events = new RecordingListener();
            ReviewSettings s = ReviewFixtures.settings();
            ReviewService reviews = new ReviewService(vertx, new PostgresReviewStore(db, java.time.Clock.systemUTC()),
                    events, new ReviewSettings(s.holdTime(), s.pendingExpiry(), s.grantRequirement(),
                    s.maxGrantDuration(), poll, s.sweepInterval()), new MutableClock());
            return new Replica(vertx, db, reviews, events);
        }

        void close() {
            reviews.close();
            db.close();
            await(vertx.close());
        }
    }

    @BeforeEach
    void start() {
        database = PostgresTestDatabase.create();
        a = Replica.start(database, Duration.ofMinutes(1));
        b = Replica.start(database, Duration.ofMinutes(1));
        awaitListening(a);
        awaitListening(b);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        database.close();
    }

    private static void awaitListening(Replica r) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!r.db().notifications().connected()) {
            assertThat(System.nanoTime()).as("the notification connection is up").isLessThan(deadline);
            sleep(10);
        }
    }

    /**
     * Waits (bounded) until a read through {@code r}'s pool succeeds: right after an outage a pooled connection that
     * PostgreSQL ended may fail one step (503, fail closed) before the pool replaces it, as the operator notes say.
     */
    private static void awaitStoreBack(Replica r) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                await(r.reviews().reviews(null, 1));
                return;
            } catch (RuntimeException e) {
                assertThat(System.nanoTime()).as("the store answers again: %s", e.getMessage()).isLessThan(deadline);
                sleep(100);
            }
        }
    }

    private Review openOn(Replica r, String ns) {
        return await(r.reviews().open(ALICE, deleteNamespace(ALICE, ns), "rule-prod-delete", "cleanup",
                oneApprover()));
    }

    @Test
    void aRequestHeldOnOneReplicaIsReleasedByAnApprovalAtAnother() {
        Review opened = openOn(a, "prod");
        Future<Review> held = a.reviews().await(opened.id(), Duration.ofSeconds(20));
        sleep(100);
        assertThat(held.isComplete()).as("held until decided").isFalse();
        assertThat(a.reviews().waiting()).isEqualTo(1);

        long approvedAt = System.nanoTime();
        await(b.reviews().approve(opened.id(), BOB, "ok"));
        Review released = await(held);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - approvedAt);

        assertThat(released.state()).isEqualTo(ReviewState.APPROVED);
        assertThat(released.verdicts()).extracting(v -> v.reviewer().user()).containsExactly("bob");
        assertThat(millis).as("approval to release across replicas (the poll is a minute)").isLessThan(1_000);
        assertThat(b.events().kinds()).containsExactly(ReviewEvent.Kind.APPROVED);
        assertThat(await(a.reviews().redeem(opened.request().fingerprint(), "audit-2"))).isPresent();
    }

    @Test
    void aDecisionAnnouncedBetweenReadingAReviewAndHoldingItIsReadAtOnce() throws Exception {
        try (PostgresReviewStore storeA = new PostgresReviewStore(a.db(), java.time.Clock.systemUTC());
             PostgresReviewStore storeB = new PostgresReviewStore(b.db(), java.time.Clock.systemUTC())) {
            Holds holds = new Holds(a.vertx(), storeA, new Steps(a.vertx(), storeA, new RecordingListener()),
                    Duration.ofMinutes(1));
            Review pending = dev.gatehouse.review.store.ReviewStoreContractTest.pendingReview("r-mmmmmmmmmmmmmmmmmmmmmmmmmm");
            assertThat(storeB.createReview(pending)).isTrue();
            assertThat(storeB.settleReview(pending.id(), 1)).isTrue();
            long seenUpTo = storeA.lastChange(); // A has read the review as pending at this position
            Review approved = dev.gatehouse.review.store.ReviewStoreContractTest.approvedReview(pending, 2);
            assertThat(storeB.updateReview(approved, 1)).isTrue();
            assertThat(storeB.settleReview(pending.id(), 2)).isTrue(); // NOTIFY while nobody waits on A
            sleep(500);
            long start = System.nanoTime();
            Review released = await(holds.hold(pending, Duration.ofSeconds(8), seenUpTo));
            assertThat(released.state()).as("not left for the one-minute poll").isEqualTo(ReviewState.APPROVED);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
        }
    }

    @Test
    void aDenialAtAnotherReplicaReleasesTheHeldRequestAsDenied() {
        Review opened = openOn(a, "prod");
        Future<Review> held = a.reviews().await(opened.id(), Duration.ofSeconds(20));
        await(b.reviews().deny(opened.id(), BOB, "not now"));
        assertThat(await(held).state()).isEqualTo(ReviewState.DENIED);
        assertThat(await(a.reviews().redeem(opened.request().fingerprint(), "audit-3"))).isEmpty();
    }

    @Test
    void twoReplicasApprovingAtOnceRecordOneDecisionAndTheOtherIsRefused() {
        ReviewRequirement one = oneApprover();
        Review opened = await(a.reviews().open(ALICE, deleteNamespace(ALICE, "race"), "r", "x", one));
        Requester carol = user("carol", "dev");
        List<Future<Review>> both = List.of(a.reviews().approve(opened.id(), BOB, "a"),
                b.reviews().approve(opened.id(), carol, "b"));
        long ok = both.stream().filter(f -> {
            try {
                await(f);
                return true;
            } catch (ReviewException e) {
                assertThat(e.code()).isEqualTo(409);
                return false;
            }
        }).count();
        assertThat(ok).as("exactly one decision wins").isEqualTo(1);
        assertThat(await(b.reviews().review(opened.id()))).get().extracting(Review::verdicts)
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).hasSize(1);
    }

    @Test
    void anUnreachableDatabaseFailsReviewStepsClosedWith503AndNothingIsLostOnRecovery() {
        Review before = openOn(a, "before");
        database.block();
        try {
            assertThatThrownBy(() -> openOn(a, "during")).isInstanceOfSatisfying(ReviewException.class, e -> {
                assertThat(e.code()).isEqualTo(503);
                assertThat(e.getMessage()).contains("PostgreSQL at 127.0.0.1:5432/" + database.name())
                        .contains("refused until it is back");
            });
            assertThatThrownBy(() -> await(b.reviews().approve(before.id(), BOB, "ok")))
                    .isInstanceOfSatisfying(ReviewException.class, e -> assertThat(e.code()).isEqualTo(503));
            assertThatThrownBy(() -> await(a.reviews().grantFor(ALICE, null, "audit-x")))
                    .as("a grant check needs the shared store too")
                    .isInstanceOfSatisfying(ReviewException.class, e -> assertThat(e.code()).isEqualTo(503));
        } finally {
            database.unblock();
        }
        awaitListening(a);
        awaitListening(b);
        awaitStoreBack(a);
        awaitStoreBack(b);
        Future<Review> held = a.reviews().await(before.id(), Duration.ofSeconds(20));
        await(b.reviews().approve(before.id(), BOB, "ok"));
        assertThat(await(held).state()).as("the review opened before the outage is decided after it")
                .isEqualTo(ReviewState.APPROVED);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
