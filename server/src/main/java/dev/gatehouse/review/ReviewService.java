package dev.gatehouse.review;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.policy.ReviewRequirement;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * {@link Reviews} over a {@link ReviewStore}: the rules of {@link ReviewRules}, each step committed by
 * {@link Steps} (store, then durable event, then effect), held requests waiting in {@link Holds}, grants in
 * {@link GrantBook}. {@link #start()} begins the periodic expiry sweep; {@link #close()} ends it.
 */
public final class ReviewService implements Reviews, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReviewService.class);
    /** A store change whose event is not recorded after this long was abandoned (its gateway stopped). */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(2);

    private final Vertx vertx;
    private final ReviewStore store;
    private final ReviewSettings settings;
    private final Clock clock;
    private final Steps steps;
    private final Holds holds;
    private final GrantBook grants;
    private long sweepTimer = -1;

    public ReviewService(Vertx vertx, ReviewStore store, ReviewListener listener, ReviewSettings settings,
                         Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.steps = new Steps(vertx, store, Objects.requireNonNull(listener, "listener"));
        this.holds = new Holds(vertx, store, steps, settings.pollInterval());
        this.grants = new GrantBook(store, steps, settings, clock);
    }

    /** Starts the expiry sweep (every {@code sweepInterval}). */
    public synchronized ReviewService start() {
        if (sweepTimer < 0) {
            sweepTimer = vertx.setPeriodic(settings.sweepInterval().toMillis(), id -> sweep());
        }
        return this;
    }

    /** Stops the sweep and lets every waiting request go with its pending review. Does not close the store. */
    @Override
    public synchronized void close() {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
            sweepTimer = -1;
        }
        holds.releaseAll();
    }

    /** How many requests wait for a decision now. */
    public int waiting() {
        return holds.waiting();
    }

    @Override
    public Future<Review> open(Requester requester, HeldRequest request, String rule, String reason,
                               ReviewRequirement requirement) {
        return steps.retrying(() -> steps.blocking(() -> store.pendingReview(requester.user(), request.fingerprint()))
                .compose(existing -> {
                    Instant now = clock.instant();
                    if (existing.isPresent() && !expired(existing.get(), now)) {
                        return Future.succeededFuture(existing.get());
                    }
                    Future<?> cleared = existing.isPresent() ? expire(existing.get(), now) : Future.succeededFuture();
                    Review fresh = new Review(ReviewIds.newReviewId(), ReviewState.PENDING, requester, request, rule,
                            reason, requirement, List.of(), now, now.plus(pendingExpiry(requirement)), null, 1);
                    return cleared.compose(x -> steps.review(null, fresh, new ReviewEvent(ReviewEvent.Kind.CREATED,
                            requester, fresh, null, reason, now, false, false, request.auditId())));
                }));
    }

    @Override
    public Future<Review> await(String id, Duration holdTime) {
        if (!ReviewIds.isReviewId(id)) {
            return Future.failedFuture(notFound(id));
        }
        Duration hold = holdTime == null ? settings.holdTime() : holdTime;
        return steps.retrying(() -> steps.blocking(() -> seen(id)).compose(seen -> {
            if (seen.review() == null) {
                return Future.failedFuture(notFound(id));
            }
            Review now = view(seen.review());
            if (now.state() == ReviewState.PENDING) {
                return holds.hold(now, hold, seen.position());
            }
            // a decision whose event is still being written (or will be undone) releases nothing yet
            return seen.settled() ? Future.succeededFuture(now)
                    : Future.failedFuture(new Steps.Conflict("the last change of review " + id
                    + " is not recorded yet; try again"));
        }));
    }

    private Seen seen(String id) {
        long position = store.lastChange();
        Review review = store.review(id).orElse(null);
        return new Seen(position, review, review != null && store.reviewSettled(id, review.version()));
    }

    private record Seen(long position, Review review, boolean settled) {
    }

    @Override
    public Future<Optional<Review>> redeem(String fingerprint, String auditId) {
        return steps.retrying(() -> steps.blocking(() -> store.approvedReviews(fingerprint, clock.instant()))
                .compose(approved -> {
                    if (approved.isEmpty()) {
                        return Future.succeededFuture(Optional.empty());
                    }
                    Review r = approved.getFirst();
                    Instant now = clock.instant();
                    ReviewEvent used;
                    if (!r.requirement().validity().isZero()) {
                        used = new ReviewEvent(ReviewEvent.Kind.USED, r.requester(), r, null, "", now, false, false,
                                auditId);
                        return steps.record(used).map(v -> Optional.of(r));
                    }
                    Review consumed = next(r, ReviewState.USED, r.verdicts(), r.validUntil());
                    used = new ReviewEvent(ReviewEvent.Kind.USED, r.requester(), consumed, null, "", now, false, false,
                            auditId);
                    return steps.review(r, consumed, used).map(Optional::of);
                }));
    }

    @Override
    public Future<Optional<Grant>> grantFor(Requester requester, RequestInfo request, String auditId) {
        return grants.grantFor(requester, request, auditId);
    }

    @Override
    public Future<Review> approve(String id, Requester reviewer, String reason) {
        return decide(id, reviewer, reason, true);
    }

    @Override
    public Future<Review> deny(String id, Requester reviewer, String reason) {
        return decide(id, reviewer, reason, false);
    }

    private Future<Review> decide(String id, Requester reviewer, String reason, boolean approve) {
        return pendingStep(id, (r, now) -> {
            String what = "review " + r.id();
            boolean breakGlass = ReviewRules.checkDecider(what, r.requirement(), r.requester(), reviewer, approve,
                    reason);
            if (approve && r.verdicts().stream().anyMatch(v -> v.approve() && v.reviewer().user()
                    .equals(reviewer.user()))) {
                throw new ReviewException(409, reviewer.user() + " already approved " + what + " ("
                        + r.approvals() + " of " + r.requirement().approvals() + " approvals so far)");
            }
            List<Verdict> verdicts = new ArrayList<>(r.verdicts());
            verdicts.add(new Verdict(reviewer, approve, reason, now, breakGlass));
            Review with = next(r, ReviewState.PENDING, verdicts, null);
            boolean complete = approve && (breakGlass || with.approvals() >= r.requirement().approvals());
            Review decided = !approve ? next(r, ReviewState.DENIED, verdicts, null)
                    : complete ? next(r, ReviewState.APPROVED, verdicts, now.plus(validity(r.requirement())))
                    : with;
            return new ReviewEvent(approve ? ReviewEvent.Kind.APPROVED : ReviewEvent.Kind.DENIED, reviewer, decided,
                    null, reason, now, breakGlass, complete, "");
        });
    }

    @Override
    public Future<Review> cancel(String id, Requester requester, String reason) {
        return pendingStep(id, (r, now) -> {
            if (!r.requester().user().equals(requester.user())) {
                throw new ReviewException(403, requester.user() + " may not cancel review " + r.id()
                        + ": only its requester " + r.requester().user() + " may");
            }
            return new ReviewEvent(ReviewEvent.Kind.CANCELLED, requester,
                    next(r, ReviewState.CANCELLED, r.verdicts(), null), null, reason, now, false, false, "");
        });
    }

    /** The change a step makes to a pending review, as its event (which carries the new value). */
    @FunctionalInterface
    private interface PendingChange {
        ReviewEvent apply(Review pending, Instant now);
    }

    /**
     * Loads the review (404), refuses one that is not pending (409, expiring it first when it ran out), applies
     * {@code change} and commits it; retried when another writer changed the review meanwhile.
     */
    private Future<Review> pendingStep(String id, PendingChange change) {
        if (!ReviewIds.isReviewId(id)) {
            return Future.failedFuture(notFound(id));
        }
        return steps.retrying(() -> steps.blocking(() -> store.review(id)).compose(found -> {
            Review r = found.orElseThrow(() -> notFound(id));
            Instant now = clock.instant();
            if (r.state() != ReviewState.PENDING) {
                throw new ReviewException(409, "review " + id + " is " + r.state().wireName() + ", not pending");
            }
            if (expired(r, now)) {
                return expire(r, now).compose(x -> Future.failedFuture(new ReviewException(409, "review " + id
                        + " expired at " + r.expires() + " (it was pending for " + Duration.between(r.created(),
                        r.expires()) + ")")));
            }
            ReviewEvent event = change.apply(r, now);
            return steps.review(r, event.review(), event).onSuccess(holds::decided);
        }));
    }

    private Future<Review> expire(Review r, Instant now) {
        Review expired = next(r, ReviewState.EXPIRED, r.verdicts(), null);
        return steps.review(r, expired, new ReviewEvent(ReviewEvent.Kind.EXPIRED, ReviewEvent.SYSTEM, expired, null,
                "pending since " + r.created() + ", expired at " + r.expires(), now, false, false, ""))
                .onSuccess(holds::decided);
    }

    @Override
    public Future<Optional<Review>> review(String id) {
        if (!ReviewIds.isReviewId(id)) {
            return Future.succeededFuture(Optional.empty());
        }
        return steps.blocking(() -> store.review(id).map(this::view));
    }

    @Override
    public Future<List<Review>> reviews(ReviewState state, int limit) {
        return steps.blocking(() -> store.reviews(state, limit).stream().map(this::view)
                .filter(r -> state == null || r.state() == state).toList());
    }

    @Override
    public Future<Grant> requestGrant(Requester requester, Grant.Scope scope, Duration duration, String reason) {
        return grants.request(requester, scope, duration, reason);
    }

    @Override
    public Future<Grant> approveGrant(String id, Requester reviewer, String reason) {
        return grants.decide(id, reviewer, reason, true);
    }

    @Override
    public Future<Grant> denyGrant(String id, Requester reviewer, String reason) {
        return grants.decide(id, reviewer, reason, false);
    }

    @Override
    public Future<Grant> revokeGrant(String id, Requester who, String reason) {
        return grants.revoke(id, who, reason);
    }

    @Override
    public Future<Grant> cancelGrant(String id, Requester requester, String reason) {
        return grants.cancel(id, requester, reason);
    }

    @Override
    public Future<Optional<Grant>> grant(String id) {
        return grants.grant(id);
    }

    @Override
    public Future<List<Grant>> grants(ReviewState state, int limit) {
        return grants.grants(state, limit);
    }

    @Override
    public boolean mayApprove(ReviewRequirement requirement, Requester who) {
        return ReviewRules.mayApprove(requirement, who);
    }

    /** Expires what ran out: pending reviews and grants past their expiry, approved grants past their validity. */
    Future<Void> sweep() {
        Instant now = clock.instant();
        return steps.blocking(() -> {
            int undone = store.undoAbandoned(now.minus(ABANDONED_AFTER));
            if (undone > 0) {
                LOG.warn("review sweep: undid {} change(s) left unrecorded for over {}", undone, ABANDONED_AFTER);
            }
            return store.pendingReviewsExpiredAt(now);
        }).compose(reviews -> {
            List<Future<?>> done = new ArrayList<>();
            reviews.forEach(r -> done.add(expire(r, now).otherwiseEmpty()));
            done.add(grants.sweep(now));
            return Future.join(done).<Void>mapEmpty();
        }).onFailure(e -> LOG.warn("review sweep failed: {}", e.toString())).otherwiseEmpty();
    }

    /** What a reader sees: a pending review past its expiry reads as expired, before the sweep writes it. */
    private Review view(Review r) {
        return r.state() == ReviewState.PENDING && expired(r, clock.instant())
                ? next(r, ReviewState.EXPIRED, r.verdicts(), null, r.version()) : r;
    }

    private static boolean expired(Review r, Instant now) {
        return !now.isBefore(r.expires());
    }

    private Duration pendingExpiry(ReviewRequirement requirement) {
        return requirement.pendingExpiry() != null ? requirement.pendingExpiry() : settings.pendingExpiry();
    }

    /** How long an approval lets retries through: its validity, or for a once-only approval the pending expiry. */
    private Duration validity(ReviewRequirement requirement) {
        return requirement.validity().isZero() ? pendingExpiry(requirement) : requirement.validity();
    }

    private static Review next(Review r, ReviewState state, List<Verdict> verdicts, Instant validUntil) {
        return next(r, state, verdicts, validUntil, r.version() + 1);
    }

    private static Review next(Review r, ReviewState state, List<Verdict> verdicts, Instant validUntil,
                               long version) {
        return new Review(r.id(), state, r.requester(), r.request(), r.rule(), r.reason(), r.requirement(), verdicts,
                r.created(), r.expires(), validUntil, version);
    }

    static ReviewException notFound(String id) {
        return new ReviewException(404, "review " + printable(id) + " not found");
    }

    /** An id as it may appear in a message: at most 40 characters of [A-Za-z0-9-], the rest cut. */
    static String printable(String id) {
        if (id == null) {
            return "(none)";
        }
        String clean = id.replaceAll("[^A-Za-z0-9-]", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "..." : clean;
    }
}
