package dev.gatehouse.review;

import static dev.gatehouse.review.ReviewFixtures.await;
import static dev.gatehouse.review.ReviewFixtures.deleteNamespace;
import static dev.gatehouse.review.ReviewFixtures.oneApprover;
import static dev.gatehouse.review.ReviewFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.review.ReviewFixtures.MutableClock;
import dev.gatehouse.review.ReviewFixtures.RecordingListener;
import dev.gatehouse.review.store.SqliteReviewStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Ten thousand held requests cost a promise and a timer each: no thread, and a bounded number of bytes. */
class ReviewServiceHoldsTest {
    private static final int HELD = 10_000;
    private static final int REVIEWS = 50;

    @TempDir
    Path dir;

    @Test
    void tenThousandHoldsCreateNoThread() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (SqliteReviewStore store = SqliteReviewStore.open(dir)) {
            ReviewService reviews = new ReviewService(vertx, store, new RecordingListener(),
                    ReviewFixtures.settings(), new MutableClock());
            Requester alice = user("alice", "dev");
            Requester bob = user("bob", "sre");
            List<Review> open = new ArrayList<>();
            for (int i = 0; i < REVIEWS; i++) {
                open.add(await(reviews.open(alice, deleteNamespace(alice, "ns-" + i), "rule", "", oneApprover())));
            }
            hold(reviews, open, 1_000, Duration.ofMillis(50)).await(30, TimeUnit.SECONDS);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            long heapBefore = memory.getHeapMemoryUsage().getUsed();
            int threadsBefore = threads.getThreadCount();
            long startedBefore = threads.getTotalStartedThreadCount();

            CountDownLatch released = hold(reviews, open, HELD, Duration.ofSeconds(60));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (reviews.waiting() < HELD && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(reviews.waiting()).isEqualTo(HELD);
            System.gc();
            long heapHeld = memory.getHeapMemoryUsage().getUsed();
            assertThat(threads.getTotalStartedThreadCount()).as("threads started while holding")
                    .isEqualTo(startedBefore);
            // no thread started; the live count may only fall (an idle pool thread of an earlier test may end)
            assertThat(threads.getThreadCount()).isLessThanOrEqualTo(threadsBefore);
            System.out.printf("review holds: %d held, about %d bytes each (heap after GC, rough)%n", HELD,
                    (heapHeld - heapBefore) / HELD);

            for (Review r : open) {
                await(reviews.approve(r.id(), bob, "ok"));
            }
            assertThat(released.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(reviews.waiting()).isZero();
            reviews.close();
        } finally {
            await(vertx.close());
        }
    }

    private static CountDownLatch hold(ReviewService reviews, List<Review> open, int n, Duration holdTime) {
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Future<Review> held = reviews.await(open.get(i % open.size()).id(), holdTime);
            held.onComplete(ar -> done.countDown());
        }
        return done;
    }
}
