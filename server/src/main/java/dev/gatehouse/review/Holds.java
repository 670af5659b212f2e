package dev.gatehouse.review;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * The requests waiting for a decision, without a thread each: per waiter a promise and a hold-time timer, kept in
 * a map by review id. A waiter completes, on its own context, with the decided review (decided here, or seen in
 * the store's change feed), or with the still-pending value when its hold time ends. The change feed is read by
 * one periodic timer, and only while someone waits; a store shared by replicas also says when another replica
 * settled a change ({@link ReviewStore#onChange}), and the feed is read at once (the timer stays the safety net).
 */
final class Holds {
    private static final Logger LOG = LoggerFactory.getLogger(Holds.class);

    private final Vertx vertx;
    private final ReviewStore store;
    private final Steps steps;
    private final long pollMillis;
    private final Map<String, List<Waiter>> waiting = new HashMap<>();
    private int count;
    private long cursor;
    private long pollTimer = -1;
    private boolean polling;
    /** A change was announced while a read of the feed was under way: read again when it ends. */
    private boolean again;
    /** Announcements heard, and how many of them the last read of the feed began after. */
    private long announced;
    private long announcedAtLastRead;

    Holds(Vertx vertx, ReviewStore store, Steps steps, Duration pollInterval) {
        this.vertx = vertx;
        this.store = store;
        this.steps = steps;
        this.pollMillis = Math.max(1, pollInterval.toMillis());
        store.onChange(this::announced);
    }

    /** Another replica settled a change: read the feed now if anyone waits (called on the store's thread). */
    private void announced() {
        synchronized (this) {
            announced++;
            if (count == 0) {
                return;
            }
        }
        readSoon();
    }

    /** Reads the feed now, or again right after the read under way. */
    private void readSoon() {
        synchronized (this) {
            if (polling) {
                again = true;
                return;
            }
        }
        vertx.runOnContext(v -> poll());
    }

    /** One held request: its promise, its context, its timer, and the pending value it completes with at the end. */
    private static final class Waiter {
        final Promise<Review> promise = Promise.promise();
        final Context context;
        final Review pending;
        long timer;

        Waiter(Context context, Review pending) {
            this.context = context;
            this.pending = pending;
        }
    }

    /**
     * Waits for {@code pending} to be decided, at most {@code holdTime}. {@code seenUpTo} is the change feed's
     * position read before {@code pending} was, so a decision written in between is not missed.
     */
    Future<Review> hold(Review pending, Duration holdTime, long seenUpTo) {
        Context context = vertx.getOrCreateContext();
        Waiter waiter;
        synchronized (this) {
            List<Waiter> same = waiting.computeIfAbsent(pending.id(), id -> new ArrayList<>(1));
            // the waiters of one review share one pending value: a held request costs a promise and a timer
            waiter = new Waiter(context, same.isEmpty() ? pending : same.getFirst().pending);
            same.add(waiter);
            count++;
            if (pollTimer < 0) {
                cursor = seenUpTo;
                pollTimer = vertx.setPeriodic(pollMillis, id -> poll());
            } else {
                cursor = Math.min(cursor, seenUpTo);
            }
            waiter.timer = vertx.setTimer(Math.max(1, holdTime.toMillis()), id -> timedOut(waiter));
            // a change announced while nobody waited (between reading this review and holding it) is read now,
            // not at the next poll
            if (announced != announcedAtLastRead) {
                vertx.runOnContext(v -> readSoon());
            }
        }
        return waiter.promise.future();
    }

    /** How many requests wait now. */
    synchronized int waiting() {
        return count;
    }

    /** Releases the waiters of {@code review} once it is no longer pending. */
    void decided(Review review) {
        if (review.state() == ReviewState.PENDING) {
            return;
        }
        List<Waiter> released;
        synchronized (this) {
            released = waiting.remove(review.id());
            if (released == null) {
                return;
            }
            count -= released.size();
            stopPollingIfIdle();
        }
        for (Waiter w : released) {
            vertx.cancelTimer(w.timer);
            w.context.runOnContext(v -> w.promise.tryComplete(review));
        }
    }

    private void timedOut(Waiter waiter) {
        synchronized (this) {
            List<Waiter> list = waiting.get(waiter.pending.id());
            if (list == null || !list.remove(waiter)) {
                return;
            }
            if (list.isEmpty()) {
                waiting.remove(waiter.pending.id());
            }
            count--;
            stopPollingIfIdle();
        }
        waiter.promise.tryComplete(waiter.pending);
    }

    private void stopPollingIfIdle() {
        if (count == 0 && pollTimer >= 0) {
            vertx.cancelTimer(pollTimer);
            pollTimer = -1;
        }
    }

    private void poll() {
        long from;
        synchronized (this) {
            if (polling || count == 0) {
                return;
            }
            polling = true;
            from = cursor;
            announcedAtLastRead = announced;
        }
        steps.blocking(() -> store.changedSince(from)).onComplete(ar -> {
            boolean readAgain;
            synchronized (this) {
                polling = false;
                readAgain = again;
                again = false;
                if (ar.succeeded() && cursor == from) {
                    cursor = ar.result().seq();
                }
            }
            if (readAgain) {
                vertx.runOnContext(v -> poll());
            }
            if (ar.failed()) {
                LOG.warn("review holds: reading the store's changes failed: {}", ar.cause().toString());
                return;
            }
            ar.result().reviews().forEach(this::decided);
        });
    }

    /** Completes every waiter with its pending value and stops polling (the service is closing). */
    void releaseAll() {
        List<Waiter> all = new ArrayList<>();
        synchronized (this) {
            waiting.values().forEach(all::addAll);
            waiting.clear();
            count = 0;
            stopPollingIfIdle();
        }
        for (Waiter w : all) {
            vertx.cancelTimer(w.timer);
            w.context.runOnContext(v -> w.promise.tryComplete(w.pending));
        }
    }
}
