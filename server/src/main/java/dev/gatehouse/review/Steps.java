package dev.gatehouse.review;

import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * How a step takes effect: the store first (compare-and-set, unsettled), then its event through the listener,
 * and only once that is durable the value is settled (visible to redeem, grants and other replicas' holds) and
 * the caller answered. When the listener fails the store change is undone (a creation discarded, an update
 * overwritten by the previous value under a newer version) and the step fails with 503, so no decision takes
 * effect without its evidence and no evidence claims a change the store did not make.
 */
final class Steps {
    private static final Logger LOG = LoggerFactory.getLogger(Steps.class);
    private static final int ATTEMPTS = 6;

    private final Vertx vertx;
    private final ReviewStore store;
    private final ReviewListener listener;

    Steps(Vertx vertx, ReviewStore store, ReviewListener listener) {
        this.vertx = vertx;
        this.store = store;
        this.listener = listener;
    }

    /** Runs store work on a worker thread; completes on the caller's context. */
    <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }

    /**
     * Runs {@code step} again (reloading what it decides on) when it lost a compare-and-set — to another writer, or
     * to a change whose event is still being written — after 10, 20, 40, ... ms, a few times; then 409.
     */
    <T> Future<T> retrying(Supplier<Future<T>> step) {
        return attempt(step, 1);
    }

    private <T> Future<T> attempt(Supplier<Future<T>> step, int n) {
        return step.get().recover(e -> {
            if (e instanceof Conflict c) {
                return n < ATTEMPTS ? vertx.timer(10L << (n - 1)).compose(x -> attempt(step, n + 1))
                        : Future.failedFuture(new ReviewException(409, c.getMessage()));
            }
            return Future.failedFuture(e);
        });
    }

    Future<Review> review(Review current, Review next, ReviewEvent event) {
        return commit(current == null ? () -> store.createReview(next)
                : () -> store.updateReview(next, current.version()), event,
                () -> store.settleReview(next.id(), next.version()),
                () -> current == null ? store.discardReview(next.id(), next.version())
                        : store.undoReview(withVersion(current, next.version() + 1), next.version()))
                .map(next);
    }

    Future<Grant> grant(Grant current, Grant next, ReviewEvent event) {
        return commit(current == null ? () -> store.createGrant(next)
                : () -> store.updateGrant(next, current.version()), event,
                () -> store.settleGrant(next.id(), next.version()),
                () -> current == null ? store.discardGrant(next.id(), next.version())
                        : store.undoGrant(withVersion(current, next.version() + 1), next.version()))
                .map(next);
    }

    /** Records an event about a value the store already holds (a use in a validity window): no write. */
    Future<Void> record(ReviewEvent event) {
        return recorded(event).recover(e -> Future.failedFuture(unrecorded(event)));
    }

    private Future<Void> commit(Callable<Boolean> write, ReviewEvent event, Callable<Boolean> settle,
                                Callable<Boolean> undo) {
        return blocking(write).compose(written -> {
            if (!written) {
                return Future.failedFuture(new Conflict(event.subjectId() + " changed meanwhile; try again"));
            }
            return recorded(event).transform(ar -> ar.succeeded() ? blocking(settle).compose(settled -> settled
                    ? Future.<Void>succeededFuture() : Future.failedFuture(abandoned(event)))
                    : blocking(undo).transform(undone -> {
                        if (undone.failed() || !undone.result()) {
                            LOG.error("review {}: the audit log failed on {} and undoing the store change failed too;"
                                    + " the value stays unsettled", event.subjectId(), event.kind().wireName());
                        }
                        LOG.warn("review {}: {} not recorded: {}", event.subjectId(), event.kind().wireName(),
                                ar.cause().toString());
                        return Future.failedFuture(unrecorded(event));
                    }));
        });
    }

    private Future<Void> recorded(ReviewEvent event) {
        try {
            return listener.recorded(event);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private static ReviewException unrecorded(ReviewEvent event) {
        String what = switch (event.kind()) {
            case CREATED -> "review";
            case APPROVED, GRANT_APPROVED -> "approval";
            case DENIED, GRANT_DENIED -> "denial";
            case CANCELLED, GRANT_CANCELLED -> "cancellation";
            case EXPIRED, GRANT_EXPIRED -> "expiry";
            case USED, GRANT_USED -> "use";
            case GRANT_REQUESTED -> "grant request";
            case GRANT_REVOKED -> "revocation";
        };
        return new ReviewException(503, "the audit log cannot be written, so the " + what + " was not recorded");
    }

    /** The event was recorded, but the change had been undone as abandoned meanwhile (its event took too long). */
    private static ReviewException abandoned(ReviewEvent event) {
        LOG.error("review {}: {} was recorded after its store change had been undone as abandoned",
                event.subjectId(), event.kind().wireName());
        return new ReviewException(503, "the audit log was too slow, so the " + event.kind().wireName()
                + " step was undone; try again");
    }

    static Review withVersion(Review r, long version) {
        return new Review(r.id(), r.state(), r.requester(), r.request(), r.rule(), r.reason(), r.requirement(),
                r.verdicts(), r.created(), r.expires(), r.validUntil(), version);
    }

    static Grant withVersion(Grant g, long version) {
        return new Grant(g.id(), g.state(), g.requester(), g.scope(), g.duration(), g.reason(), g.requirement(),
                g.verdicts(), g.created(), g.expires(), g.validUntil(), g.revokedBy(), version);
    }

    /** A compare-and-set lost to another writer. */
    static final class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message, null, false, false);
        }
    }
}
