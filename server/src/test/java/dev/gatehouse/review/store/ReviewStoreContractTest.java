package dev.gatehouse.review.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.policy.ReviewRequirement;
import dev.gatehouse.replica.PostgresTestDatabase;
import dev.gatehouse.replica.SharedDatabase;
import dev.gatehouse.review.Grant;
import dev.gatehouse.review.HeldRequest;
import dev.gatehouse.review.Requester;
import dev.gatehouse.review.Review;
import dev.gatehouse.review.ReviewState;
import dev.gatehouse.review.ReviewStore;

/**
 * What every {@link ReviewStore} does, run against each kind: the embedded SQLite file and the replicas'
 * PostgreSQL (a database of its own per test, in the machine's PostgreSQL). "Opening again" opens a second store
 * on the same data: the same file, or another pool on the same database (as a second replica does).
 */
public class ReviewStoreContractTest {
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
    private static final Requester ALICE = new Requester("alice", List.of("dev"), "https://idp", "oidc", List.of());
    private static final ReviewRequirement REQ = new ReviewRequirement(List.of("sre"), List.of(), 1, false,
            List.of(), null, Duration.ZERO, null);

    /** The store kinds under test. */
    enum StoreKind { SQLITE, POSTGRES }

    @TempDir
    Path dir;
    private PostgresTestDatabase database;
    private final List<AutoCloseable> opened = new ArrayList<>();

    private ReviewStore open(StoreKind kind) throws Exception {
        return open(kind, Clock.systemUTC());
    }

    private ReviewStore open(StoreKind kind, Clock clock) throws Exception {
        if (kind == StoreKind.SQLITE) {
            return SqliteReviewStore.open(dir, clock);
        }
        if (database == null) {
            database = PostgresTestDatabase.create();
        }
        SharedDatabase shared = SharedDatabase.open(database.config());
        opened.add(shared);
        return new PostgresReviewStore(shared, clock);
    }

    @AfterEach
    void dropDatabase() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        if (database != null) {
            database.close();
        }
    }

    /** A pending review (for tests of other packages). */
    public static Review pendingReview(String id) {
        return review(id, "fp-" + id);
    }

    /** {@code r} approved, at {@code version}. */
    public static Review approvedReview(Review r, long version) {
        return approved(r, version);
    }

    static Review review(String id, String fingerprint) {
        return SqliteReviewStoreTest.review(id, fingerprint);
    }

    static Review approved(Review r, long version) {
        return new Review(r.id(), ReviewState.APPROVED, r.requester(), r.request(), r.rule(), r.reason(),
                r.requirement(), r.verdicts(), r.created(), r.expires(), T0.plusSeconds(300), version);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void compareAndSetLetsOneOfTwoWritersWin(StoreKind kind) throws Exception {
        try (ReviewStore a = open(kind); ReviewStore b = open(kind)) {
            Review r = review("r-aaaaaaaaaaaaaaaaaaaaaaaaaa", "fp1");
            assertThat(a.createReview(r)).isTrue();
            assertThat(a.settleReview(r.id(), 1)).isTrue();
            assertThat(a.updateReview(approved(r, 2), 1)).isTrue();
            assertThat(b.updateReview(approved(r, 2), 1)).as("second writer on the same version").isFalse();
            assertThat(b.review(r.id())).get().extracting(Review::version, Review::state)
                    .containsExactly(2L, ReviewState.APPROVED);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void changeFeedReturnsOnlySettledValuesWrittenAfterAPosition(StoreKind kind) throws Exception {
        try (ReviewStore store = open(kind)) {
            Review r = review("r-bbbbbbbbbbbbbbbbbbbbbbbbbb", "fp2");
            store.createReview(r);
            store.settleReview(r.id(), 1);
            long start = store.lastChange();
            assertThat(store.updateReview(approved(r, 2), 1)).isTrue();
            assertThat(store.changedSince(start).reviews()).as("unsettled: not yet in the feed").isEmpty();
            assertThat(store.approvedReviews("fp2", T0)).as("unsettled: not redeemable").isEmpty();
            assertThat(store.settleReview(r.id(), 2)).isTrue();
            ReviewStore.Changes changes = store.changedSince(start);
            assertThat(changes.reviews()).extracting(Review::state).containsExactly(ReviewState.APPROVED);
            assertThat(changes.seq()).isEqualTo(store.lastChange());
            assertThat(store.changedSince(changes.seq()).reviews()).isEmpty();
            assertThat(store.approvedReviews("fp2", T0)).hasSize(1);
            assertThat(store.approvedReviews("fp2", T0.plusSeconds(300))).as("validUntil is exclusive").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void noStepBuildsOnAnUnsettledValueAndAnUndoRestoresThePreviousOne(StoreKind kind) throws Exception {
        try (ReviewStore store = open(kind)) {
            Review r = review("r-jjjjjjjjjjjjjjjjjjjjjjjjjj", "fp8");
            store.createReview(r);
            assertThat(store.updateReview(approved(r, 2), 1)).as("creation not yet recorded").isFalse();
            store.settleReview(r.id(), 1);
            assertThat(store.updateReview(approved(r, 2), 1)).isTrue();
            assertThat(store.updateReview(approved(r, 3), 2)).as("approval not yet recorded").isFalse();
            Review restored = new Review(r.id(), r.state(), r.requester(), r.request(), r.rule(), r.reason(),
                    r.requirement(), r.verdicts(), r.created(), r.expires(), null, 3);
            assertThat(store.undoReview(restored, 2)).isTrue();
            assertThat(store.review(r.id())).contains(restored);
            assertThat(store.undoReview(restored, 2)).as("only an unsettled value is undone").isFalse();
            assertThat(store.updateReview(approved(r, 4), 3)).as("the restored value is settled").isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void undoesChangesAbandonedBeforeTheirEventWasRecorded(StoreKind kind) throws Exception {
        java.time.Clock at = java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC);
        try (ReviewStore store = open(kind, at)) {
            Review created = review("r-kkkkkkkkkkkkkkkkkkkkkkkkkk", "fp9");
            store.createReview(created);
            Review decided = review("r-llllllllllllllllllllllllll", "fp10");
            store.createReview(decided);
            store.settleReview(decided.id(), 1);
            store.updateReview(approved(decided, 2), 1);
            assertThat(store.undoAbandoned(T0)).as("not older than the cutoff").isZero();
            assertThat(store.undoAbandoned(T0.plusSeconds(1))).isEqualTo(2);
            assertThat(store.review(created.id())).as("an abandoned creation is removed").isEmpty();
            Review restored = store.review(decided.id()).orElseThrow();
            assertThat(restored.state()).isEqualTo(ReviewState.PENDING);
            assertThat(restored.version()).isEqualTo(3);
            assertThat(store.reviewSettled(decided.id(), 3)).isTrue();
            assertThat(store.undoAbandoned(T0.plusSeconds(1))).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void oneRequesterHasOnePendingReviewPerFingerprint(StoreKind kind) throws Exception {
        try (ReviewStore store = open(kind)) {
            assertThat(store.createReview(review("r-cccccccccccccccccccccccccc", "fp3"))).isTrue();
            assertThat(store.createReview(review("r-dddddddddddddddddddddddddd", "fp3"))).isFalse();
            assertThat(store.pendingReview("alice", "fp3")).get().extracting(Review::id)
                    .isEqualTo("r-cccccccccccccccccccccccccc");
            assertThat(store.pendingReview("bob", "fp3")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void reopeningKeepsReviewsGrantsAndTheSequence(StoreKind kind) throws Exception {
        Grant.Scope scope = new Grant.Scope("prod", List.of("web"), List.of("get"), List.of("pods/log"));
        Grant g = new Grant("g-eeeeeeeeeeeeeeeeeeeeeeeeee", ReviewState.PENDING, ALICE, scope, Duration.ofHours(1),
                "debug", REQ, List.of(), T0, T0.plusSeconds(600), null, "", 1);
        long seq;
        try (ReviewStore store = open(kind)) {
            store.createReview(review("r-ffffffffffffffffffffffffff", "fp4"));
            store.createGrant(g);
            store.settleGrant(g.id(), 1);
            seq = store.lastChange();
        }
        try (ReviewStore store = open(kind)) {
            assertThat(store.review("r-ffffffffffffffffffffffffff")).get().extracting(Review::reason)
                    .isEqualTo("why");
            assertThat(store.grant(g.id())).contains(g);
            assertThat(store.lastChange()).isEqualTo(seq);
            assertThat(store.grants(ReviewState.PENDING, 10)).containsExactly(g);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void discardRemovesOnlyAnUnsettledCreation(StoreKind kind) throws Exception {
        try (ReviewStore store = open(kind)) {
            Review r = review("r-gggggggggggggggggggggggggg", "fp5");
            store.createReview(r);
            store.settleReview(r.id(), 1);
            assertThat(store.discardReview(r.id(), 1)).isFalse();
            Review s = review("r-hhhhhhhhhhhhhhhhhhhhhhhhhh", "fp6");
            store.createReview(s);
            assertThat(store.discardReview(s.id(), 1)).isTrue();
            assertThat(store.review(s.id())).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void findsPendingReviewsPastExpiry(StoreKind kind) throws Exception {
        try (ReviewStore store = open(kind)) {
            store.createReview(review("r-iiiiiiiiiiiiiiiiiiiiiiiiii", "fp7"));
            assertThat(store.pendingReviewsExpiredAt(T0.plusSeconds(599))).isEmpty();
            assertThat(store.pendingReviewsExpiredAt(T0.plusSeconds(600))).hasSize(1);
        }
    }
}
