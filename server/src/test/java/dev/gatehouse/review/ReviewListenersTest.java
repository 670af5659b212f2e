package dev.gatehouse.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.gatehouse.review.ReviewFixtures.RecordingListener;
import io.vertx.core.Future;
import io.vertx.core.Promise;

class ReviewListenersTest {
    private static final Requester ALICE = ReviewFixtures.user("alice", "dev");
    private static final ReviewEvent CREATED = new ReviewEvent(ReviewEvent.Kind.CREATED, ALICE,
            new Review("r-" + "c".repeat(26), ReviewState.PENDING, ALICE, ReviewFixtures.deleteNamespace(ALICE, "x"),
                    "rule", "", ReviewFixtures.requirement(1, false, Duration.ZERO), List.of(),
                    ReviewFixtures.T0, ReviewFixtures.T0.plusSeconds(60), null, 1),
            null, "", ReviewFixtures.T0, false, false, "a1");

    @Test
    void notifiersHearOnlyRecordedEventsAndNeverFailOrDelayTheStep() throws Exception {
        RecordingListener evidence = new RecordingListener();
        RecordingListener notified = new RecordingListener();
        ReviewListener throwing = e -> {
            throw new IllegalStateException("webhook down");
        };
        ReviewListener failing = e -> Future.failedFuture("webhook 500");
        ReviewListener slow = e -> Promise.<Void>promise().future();
        ReviewListener all = ReviewListeners.of(evidence, throwing, failing, slow, notified);
        all.recorded(CREATED).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(notified.kinds()).containsExactly(ReviewEvent.Kind.CREATED);

        evidence.failing = true;
        assertThatThrownBy(() -> all.recorded(CREATED).toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS)).hasMessageContaining("audit log down");
        assertThat(notified.kinds()).as("not told of an unrecorded step").hasSize(1);
    }
}
