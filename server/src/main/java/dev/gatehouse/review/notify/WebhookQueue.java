package dev.gatehouse.review.notify;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.review.notify.NotificationMetrics.Outcome;
import io.vertx.core.Vertx;

/**
 * One target's notices, posted one at a time in order, asynchronously (no thread waits for a receiver).
 * {@link #offer} only enqueues: when the queue is full the oldest waiting notice is dropped (a WARN, at most
 * every ten seconds, says how many). State changes hold the queue's lock, so callbacks may run on any Vert.x
 * context. A notice that fails is retried after the policy's delay before the next one is posted — the
 * receiver is down for all of them — until it is delivered or given up.
 */
final class WebhookQueue {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookQueue.class);
    private static final long WARN_EVERY_NANOS = 10_000_000_000L;

    private final WebhookTarget target;
    private final WebhookPost post;
    private final Vertx vertx;
    private final RetryPolicy retry;
    private final int capacity;
    private final NotificationMetrics metrics;
    private final RandomGenerator random = RandomGenerator.getDefault();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean busy;
    private boolean closed;
    private long droppedSinceWarn;
    private long lastDropWarn = System.nanoTime() - WARN_EVERY_NANOS;
    private long retryTimer = -1;

    /** A queued notice and how often it was posted. */
    private record Pending(ReviewNotice notice, long queuedNanos, int attempts) {
        Pending next() {
            return new Pending(notice, queuedNanos, attempts + 1);
        }
    }

    WebhookQueue(WebhookTarget target, WebhookPost post, Vertx vertx, RetryPolicy retry, int capacity,
                 NotificationMetrics metrics) {
        this.target = target;
        this.post = post;
        this.vertx = vertx;
        this.retry = retry;
        this.capacity = capacity;
        this.metrics = metrics;
    }

    /** Queues a notice; starts posting when idle. Never blocks beyond a short lock. */
    void offer(ReviewNotice notice) {
        boolean start;
        boolean dropped = false;
        long warn = 0;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queue.size() >= capacity) {
                queue.pollFirst();
                dropped = true;
                droppedSinceWarn++;
                if (System.nanoTime() - lastDropWarn >= WARN_EVERY_NANOS) {
                    warn = droppedSinceWarn;
                    droppedSinceWarn = 0;
                    lastDropWarn = System.nanoTime();
                }
            }
            queue.addLast(new Pending(notice, System.nanoTime(), 0));
            start = !busy;
            busy = true;
        }
        if (dropped) {
            metrics.count(target.name(), Outcome.DROPPED);
        }
        if (warn > 0) {
            LOG.warn("review notifications to {}: queue full ({} waiting), dropped the oldest ({} since the last "
                    + "warning)", target.name(), capacity, warn);
        }
        if (start) {
            vertx.runOnContext(v -> next());
        }
    }

    /** Notices waiting (not counting one being posted or waiting for a retry). */
    synchronized int waiting() {
        return queue.size();
    }

    private void next() {
        Pending p;
        synchronized (this) {
            p = closed ? null : queue.pollFirst();
            if (p == null) {
                busy = false;
                return;
            }
        }
        attempt(p);
    }

    /** The next notice in a fresh task: outcomes that complete at once never pile up on the stack. */
    private void nextLater() {
        vertx.runOnContext(v -> next());
    }

    private void attempt(Pending p) {
        Pending posted = p.next();
        byte[] body;
        try {
            body = target.format().render(p.notice());
        } catch (RuntimeException e) {
            settle(posted, new PostOutcome.GiveUp("the payload cannot be rendered: " + e.getClass().getSimpleName()));
            return;
        }
        post.post(body, p.notice().deliveryId()).onComplete(ar -> settle(posted, ar.succeeded() ? ar.result()
                : new PostOutcome.Retry(ar.cause().getClass().getSimpleName(), null)));
    }

    private void settle(Pending p, PostOutcome outcome) {
        switch (outcome) {
            case PostOutcome.Delivered d -> {
                metrics.count(target.name(), Outcome.DELIVERED);
                LOG.debug("review notification {} {} delivered to {} ({})", p.notice().kind().wireName(),
                        p.notice().subjectId(), target.name(), d.status());
                nextLater();
            }
            case PostOutcome.GiveUp g -> {
                metrics.count(target.name(), Outcome.REJECTED);
                LOG.warn("review notification {} {} to {} ({}) given up: {}", p.notice().kind().wireName(),
                        p.notice().subjectId(), target.name(), target.redactedUrl(), g.why());
                nextLater();
            }
            case PostOutcome.Retry r -> retryLater(p, r);
        }
    }

    private void retryLater(Pending p, PostOutcome.Retry r) {
        Duration age = Duration.ofNanos(System.nanoTime() - p.queuedNanos());
        if (retry.exhausted(p.attempts(), age)) {
            metrics.count(target.name(), Outcome.FAILED);
            LOG.warn("review notification {} {} to {} ({}) given up after {} attempts over {}: {}",
                    p.notice().kind().wireName(), p.notice().subjectId(), target.name(), target.redactedUrl(),
                    p.attempts(), age.withNanos(0), r.why());
            nextLater();
            return;
        }
        metrics.count(target.name(), Outcome.RETRIED);
        Duration delay = retry.delay(p.attempts(), r.retryAfter(), random);
        LOG.debug("review notification {} {} to {}: {}; retry in {}", p.notice().kind().wireName(),
                p.notice().subjectId(), target.name(), r.why(), delay);
        synchronized (this) {
            if (closed) {
                return;
            }
            retryTimer = vertx.setTimer(Math.max(1, delay.toMillis()), t -> attempt(p));
        }
    }

    /** Drops what is queued and stops retrying; a post in flight completes or times out. */
    void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
            if (retryTimer >= 0) {
                vertx.cancelTimer(retryTimer);
            }
        }
    }
}
