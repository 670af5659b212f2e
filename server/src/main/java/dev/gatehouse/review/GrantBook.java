package dev.gatehouse.review;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.gatehouse.classify.RequestInfo;
import io.vertx.core.Future;

/**
 * The grant half of {@link ReviewService}: asking for a time-boxed scope, deciding it under the settings' grant
 * requirement (the same reviewer rules as reviews), revoking, cancelling, expiring, and finding the grant that lets
 * a request through (each use an event).
 */
final class GrantBook {
    private final ReviewStore store;
    private final Steps steps;
    private final ReviewSettings settings;
    private final Clock clock;

    GrantBook(ReviewStore store, Steps steps, ReviewSettings settings, Clock clock) {
        this.store = store;
        this.steps = steps;
        this.settings = settings;
        this.clock = clock;
    }

    Future<Grant> request(Requester requester, Grant.Scope scope, Duration duration, String reason) {
        try {
            GrantScopes.validate(scope, duration, settings.maxGrantDuration());
            if (settings.grantRequirement().reasonRequired() && ReviewRules.blank(reason)) {
                throw new ReviewException(400, "a reason is required to ask for a grant (expected: a non-empty"
                        + " reason)");
            }
        } catch (ReviewException e) {
            return Future.failedFuture(e);
        }
        Instant now = clock.instant();
        Duration pending = settings.grantRequirement().pendingExpiry() != null
                ? settings.grantRequirement().pendingExpiry() : settings.pendingExpiry();
        Grant fresh = new Grant(ReviewIds.newGrantId(), ReviewState.PENDING, requester, scope, duration, reason,
                settings.grantRequirement(), List.of(), now, now.plus(pending), null, "", 1);
        return steps.grant(null, fresh, event(ReviewEvent.Kind.GRANT_REQUESTED, requester, fresh, reason, now));
    }

    Future<Grant> decide(String id, Requester reviewer, String reason, boolean approve) {
        return step(id, ReviewState.PENDING, (g, now) -> {
            String what = "grant " + g.id();
            boolean breakGlass = ReviewRules.checkDecider(what, g.requirement(), g.requester(), reviewer, approve,
                    reason);
            if (approve && g.verdicts().stream().anyMatch(v -> v.approve() && v.reviewer().user()
                    .equals(reviewer.user()))) {
                throw new ReviewException(409, reviewer.user() + " already approved " + what);
            }
            List<Verdict> verdicts = new ArrayList<>(g.verdicts());
            verdicts.add(new Verdict(reviewer, approve, reason, now, breakGlass));
            long approvers = verdicts.stream().filter(Verdict::approve).map(v -> v.reviewer().user()).distinct()
                    .count();
            boolean complete = approve && (breakGlass || approvers >= g.requirement().approvals());
            Grant next = !approve ? next(g, ReviewState.DENIED, verdicts, null, "")
                    : complete ? next(g, ReviewState.APPROVED, verdicts, now.plus(g.duration()), "")
                    : next(g, ReviewState.PENDING, verdicts, null, "");
            return new ReviewEvent(approve ? ReviewEvent.Kind.GRANT_APPROVED : ReviewEvent.Kind.GRANT_DENIED,
                    reviewer, null, next, reason, now, breakGlass, complete, "");
        });
    }

    Future<Grant> revoke(String id, Requester who, String reason) {
        return step(id, ReviewState.APPROVED, (g, now) -> {
            boolean requester = g.requester().user().equals(who.user());
            if (!requester && !ReviewRules.mayApprove(g.requirement(), who)) {
                throw new ReviewException(403, who.user() + " may not revoke grant " + g.id() + ": only its requester "
                        + g.requester().user() + " and grant " + ReviewRules.whoMay(g.requirement()) + " may");
            }
            return event(ReviewEvent.Kind.GRANT_REVOKED, who,
                    next(g, ReviewState.REVOKED, g.verdicts(), g.validUntil(), who.user()), reason, now);
        });
    }

    Future<Grant> cancel(String id, Requester requester, String reason) {
        return step(id, ReviewState.PENDING, (g, now) -> {
            if (!g.requester().user().equals(requester.user())) {
                throw new ReviewException(403, requester.user() + " may not cancel grant " + g.id()
                        + ": only its requester " + g.requester().user() + " may");
            }
            return event(ReviewEvent.Kind.GRANT_CANCELLED, requester,
                    next(g, ReviewState.CANCELLED, g.verdicts(), null, ""), reason, now);
        });
    }

    Future<Optional<Grant>> grant(String id) {
        if (!ReviewIds.isGrantId(id)) {
            return Future.succeededFuture(Optional.empty());
        }
        return steps.blocking(() -> store.grant(id).map(this::view));
    }

    Future<List<Grant>> grants(ReviewState state, int limit) {
        return steps.blocking(() -> store.grants(state, limit).stream().map(this::view)
                .filter(g -> state == null || g.state() == state).toList());
    }

    Future<Optional<Grant>> grantFor(Requester requester, RequestInfo request, String auditId) {
        return steps.blocking(() -> store.approvedGrants(requester.user(), clock.instant())).compose(approved -> {
            Optional<Grant> covering = approved.stream().filter(g -> GrantScopes.covers(g.scope(), request))
                    .findFirst();
            if (covering.isEmpty()) {
                return Future.succeededFuture(Optional.empty());
            }
            Grant g = covering.get();
            ReviewEvent used = new ReviewEvent(ReviewEvent.Kind.GRANT_USED, requester, null, g, "", clock.instant(),
                    false, false, auditId);
            return steps.record(used).map(v -> covering);
        });
    }

    /** Expires pending grants past their expiry and approved grants past their validity. */
    Future<Void> sweep(Instant now) {
        return steps.blocking(() -> store.grantsExpiredAt(now)).compose(expired -> {
            List<Future<?>> done = new ArrayList<>();
            expired.forEach(g -> done.add(expire(g, now).otherwiseEmpty()));
            return Future.join(done).mapEmpty();
        });
    }

    private Future<Grant> expire(Grant g, Instant now) {
        Grant expired = next(g, ReviewState.EXPIRED, g.verdicts(), g.validUntil(), "");
        String why = g.state() == ReviewState.PENDING ? "pending since " + g.created() + ", expired at " + g.expires()
                : "valid until " + g.validUntil();
        return steps.grant(g, expired, event(ReviewEvent.Kind.GRANT_EXPIRED, ReviewEvent.SYSTEM, expired, why, now));
    }

    /** The change a step makes to a grant in the state it needs, as its event. */
    @FunctionalInterface
    private interface GrantChange {
        ReviewEvent apply(Grant grant, Instant now);
    }

    private Future<Grant> step(String id, ReviewState needed, GrantChange change) {
        if (!ReviewIds.isGrantId(id)) {
            return Future.failedFuture(notFound(id));
        }
        return steps.retrying(() -> steps.blocking(() -> store.grant(id)).compose(found -> {
            Grant g = found.orElseThrow(() -> notFound(id));
            Instant now = clock.instant();
            if (g.state() != needed) {
                throw new ReviewException(409, "grant " + id + " is " + g.state().wireName() + ", not "
                        + needed.wireName() + (g.state() == ReviewState.PENDING ? " (cancel or deny it instead)" : ""));
            }
            if (ranOut(g, now)) {
                return expire(g, now).compose(x -> Future.failedFuture(new ReviewException(409, "grant " + id
                        + " expired (" + (g.state() == ReviewState.PENDING ? "pending until " + g.expires()
                        : "valid until " + g.validUntil()) + ")")));
            }
            ReviewEvent event = change.apply(g, now);
            return steps.grant(g, event.grant(), event);
        }));
    }

    private Grant view(Grant g) {
        return ranOut(g, clock.instant())
                ? new Grant(g.id(), ReviewState.EXPIRED, g.requester(), g.scope(), g.duration(), g.reason(),
                g.requirement(), g.verdicts(), g.created(), g.expires(), g.validUntil(), g.revokedBy(), g.version())
                : g;
    }

    private static boolean ranOut(Grant g, Instant now) {
        return g.state() == ReviewState.PENDING && !now.isBefore(g.expires())
                || g.state() == ReviewState.APPROVED && g.validUntil() != null && !now.isBefore(g.validUntil());
    }

    private static ReviewEvent event(ReviewEvent.Kind kind, Requester actor, Grant grant, String reason,
                                     Instant now) {
        return new ReviewEvent(kind, actor, null, grant, reason, now, false, false, "");
    }

    private static Grant next(Grant g, ReviewState state, List<Verdict> verdicts, Instant validUntil,
                              String revokedBy) {
        return new Grant(g.id(), state, g.requester(), g.scope(), g.duration(), g.reason(), g.requirement(),
                verdicts, g.created(), g.expires(), validUntil, revokedBy, g.version() + 1);
    }

    private static ReviewException notFound(String id) {
        return new ReviewException(404, "grant " + ReviewService.printable(id) + " not found");
    }
}
