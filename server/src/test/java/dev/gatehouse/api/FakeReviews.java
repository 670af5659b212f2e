package dev.gatehouse.api;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.policy.ReviewRequirement;
import dev.gatehouse.review.Grant;
import dev.gatehouse.review.HeldRequest;
import dev.gatehouse.review.Requester;
import dev.gatehouse.review.Review;
import dev.gatehouse.review.ReviewException;
import dev.gatehouse.review.ReviewState;
import dev.gatehouse.review.Reviews;
import dev.gatehouse.review.Verdict;
import io.vertx.core.Future;

/**
 * {@link Reviews} in memory, for the API's and the CLI's tests: the states, N distinct approvers of M, no
 * self-approval (break-glass members excepted, with a reason), reasons when required, only the requester cancels,
 * only pending items are decided, grants revoked by their requester or an approver. No audit, no waiting.
 */
public final class FakeReviews implements Reviews {
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Review> reviews = new ConcurrentHashMap<>();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final ReviewRequirement grantRequirement;
    private final Clock clock;

    /** @param grantRequirement who approves grants, and how many */
    public FakeReviews(ReviewRequirement grantRequirement, Clock clock) {
        this.grantRequirement = grantRequirement;
        this.clock = clock;
    }

    /** Approvers by group, {@code n} of them needed, no reason required, pending for an hour. */
    public static ReviewRequirement requirement(int n, String... approverGroups) {
        return new ReviewRequirement(List.of(approverGroups), List.of(), n, false, List.of(), null, Duration.ZERO,
                Duration.ofHours(1));
    }

    /** A held request as the gateway would describe it. */
    public static HeldRequest held(String verb, String resource, String namespace, String name) {
        String uri = "/api/v1/" + (namespace.isEmpty() ? "" : "namespaces/" + namespace + "/") + resource + "/" + name;
        return new HeldRequest("audit-" + id(""), "prod", "DELETE", uri, verb, "", resource, "", namespace, name, "",
                0, "fp-" + id(""));
    }

    /** Moves a pending review or grant to EXPIRED, as time would. */
    public void expire(String id) {
        reviews.computeIfPresent(id, (k, r) -> new Review(r.id(), ReviewState.EXPIRED, r.requester(), r.request(),
                r.rule(), r.reason(), r.requirement(), r.verdicts(), r.created(), r.expires(), null, r.version() + 1));
        grants.computeIfPresent(id, (k, g) -> withState(g, ReviewState.EXPIRED, null, "", g.verdicts()));
    }

    @Override
    public Future<Review> open(Requester requester, HeldRequest request, String rule, String reason,
                               ReviewRequirement requirement) {
        Optional<Review> same = reviews.values().stream().filter(r -> r.state() == ReviewState.PENDING
                && r.requester().user().equals(requester.user())
                && r.request().fingerprint().equals(request.fingerprint())).findFirst();
        if (same.isPresent()) {
            return Future.succeededFuture(same.get());
        }
        Instant now = clock.instant();
        Review review = new Review(id("r-"), ReviewState.PENDING, requester, request, rule, reason, requirement,
                List.of(), now, now.plus(requirement.pendingExpiry() == null ? Duration.ofHours(1)
                : requirement.pendingExpiry()), null, 1);
        reviews.put(review.id(), review);
        return Future.succeededFuture(review);
    }

    @Override
    public Future<Review> await(String id, Duration holdTime) {
        return review(id).compose(r -> r.map(Future::succeededFuture)
                .orElseGet(() -> Future.failedFuture(notFound("review", id))));
    }

    @Override
    public Future<Optional<Review>> redeem(String fingerprint, String auditId) {
        return Future.succeededFuture(reviews.values().stream().filter(r -> r.state() == ReviewState.APPROVED
                && r.request().fingerprint().equals(fingerprint)).findFirst());
    }

    @Override
    public Future<Optional<Grant>> grantFor(Requester requester, RequestInfo request, String auditId) {
        return Future.succeededFuture(Optional.empty());
    }

    @Override
    public Future<Review> approve(String id, Requester reviewer, String reason) {
        return decideReview(id, reviewer, reason, true);
    }

    @Override
    public Future<Review> deny(String id, Requester reviewer, String reason) {
        return decideReview(id, reviewer, reason, false);
    }

    @Override
    public Future<Review> cancel(String id, Requester requester, String reason) {
        return change(reviews, "review", id, r -> {
            pendingOwnedBy(r.state(), r.requester(), requester, "review", id);
            return new Review(r.id(), ReviewState.CANCELLED, r.requester(), r.request(), r.rule(), r.reason(),
                    r.requirement(), r.verdicts(), r.created(), r.expires(), null, r.version() + 1);
        });
    }

    @Override
    public Future<Optional<Review>> review(String id) {
        return Future.succeededFuture(Optional.ofNullable(reviews.get(id)));
    }

    @Override
    public Future<List<Review>> reviews(ReviewState state, int limit) {
        return Future.succeededFuture(reviews.values().stream().filter(r -> state == null || r.state() == state)
                .sorted(Comparator.comparing(Review::created).reversed()).limit(limit).toList());
    }

    @Override
    public Future<Grant> requestGrant(Requester requester, Grant.Scope scope, Duration duration, String reason) {
        if (scope.verbs().isEmpty() || scope.resources().isEmpty()) {
            return Future.failedFuture(new ReviewException(400, "a grant names verbs and resources"));
        }
        if (duration.compareTo(Duration.ofHours(8)) > 0) {
            return Future.failedFuture(new ReviewException(400, "duration: " + duration + " (expected: <= 8h)"));
        }
        Instant now = clock.instant();
        Grant grant = new Grant(id("g-"), ReviewState.PENDING, requester, scope, duration, reason, grantRequirement,
                List.of(), now, now.plus(Duration.ofHours(1)), null, "", 1);
        grants.put(grant.id(), grant);
        return Future.succeededFuture(grant);
    }

    @Override
    public Future<Grant> approveGrant(String id, Requester reviewer, String reason) {
        return decideGrant(id, reviewer, reason, true);
    }

    @Override
    public Future<Grant> denyGrant(String id, Requester reviewer, String reason) {
        return decideGrant(id, reviewer, reason, false);
    }

    @Override
    public Future<Grant> revokeGrant(String id, Requester who, String reason) {
        return change(grants, "grant", id, g -> {
            if (!g.requester().user().equals(who.user()) && !mayApprove(g.requirement(), who)) {
                throw new ReviewException(403, "User \"" + who.user() + "\" may not revoke grant " + id);
            }
            if (g.state() != ReviewState.APPROVED) {
                throw new ReviewException(409, "grant " + id + " is " + g.state().wireName() + ", not approved");
            }
            return withState(g, ReviewState.REVOKED, g.validUntil(), who.user(), g.verdicts());
        });
    }

    @Override
    public Future<Grant> cancelGrant(String id, Requester requester, String reason) {
        return change(grants, "grant", id, g -> {
            pendingOwnedBy(g.state(), g.requester(), requester, "grant", id);
            return withState(g, ReviewState.CANCELLED, null, "", g.verdicts());
        });
    }

    @Override
    public Future<Optional<Grant>> grant(String id) {
        return Future.succeededFuture(Optional.ofNullable(grants.get(id)));
    }

    @Override
    public Future<List<Grant>> grants(ReviewState state, int limit) {
        return Future.succeededFuture(grants.values().stream().filter(g -> state == null || g.state() == state)
                .sorted(Comparator.comparing(Grant::created).reversed()).limit(limit).toList());
    }

    @Override
    public boolean mayApprove(ReviewRequirement requirement, Requester who) {
        return requirement.approverUsers().contains(who.user())
                || who.groups().stream().anyMatch(requirement.approverGroups()::contains);
    }

    private Future<Review> decideReview(String id, Requester reviewer, String reason, boolean approve) {
        return change(reviews, "review", id, r -> {
            List<Verdict> verdicts = verdicts(r.state(), r.requester(), r.requirement(), r.verdicts(), reviewer,
                    reason, approve, "review " + id);
            boolean done = !approve || distinct(verdicts) >= r.requirement().approvals();
            ReviewState state = !approve ? ReviewState.DENIED : done ? ReviewState.APPROVED : ReviewState.PENDING;
            Instant validUntil = state == ReviewState.APPROVED ? clock.instant().plus(r.requirement().validity())
                    : null;
            return new Review(r.id(), state, r.requester(), r.request(), r.rule(), r.reason(), r.requirement(),
                    verdicts, r.created(), r.expires(), validUntil, r.version() + 1);
        });
    }

    private Future<Grant> decideGrant(String id, Requester reviewer, String reason, boolean approve) {
        return change(grants, "grant", id, g -> {
            List<Verdict> verdicts = verdicts(g.state(), g.requester(), g.requirement(), g.verdicts(), reviewer,
                    reason, approve, "grant " + id);
            boolean done = !approve || distinct(verdicts) >= g.requirement().approvals();
            ReviewState state = !approve ? ReviewState.DENIED : done ? ReviewState.APPROVED : ReviewState.PENDING;
            return withState(g, state, state == ReviewState.APPROVED ? clock.instant().plus(g.duration()) : null, "",
                    verdicts);
        });
    }

    /** The rules every verdict passes, then the verdicts with this one added. */
    private List<Verdict> verdicts(ReviewState state, Requester requester, ReviewRequirement requirement,
                                   List<Verdict> verdicts, Requester reviewer, String reason, boolean approve,
                                   String what) {
        if (state != ReviewState.PENDING) {
            throw new ReviewException(409, what + " is " + state.wireName() + ", not pending");
        }
        boolean self = requester.user().equals(reviewer.user());
        boolean breakGlass = self && reviewer.groups().stream().anyMatch(requirement.breakGlassGroups()::contains);
        if (self && approve && (!breakGlass || reason.isBlank())) {
            throw new ReviewException(403, "User \"" + reviewer.user() + "\" cannot approve their own request ("
                    + what + ")");
        }
        if (!self && !mayApprove(requirement, reviewer)) {
            throw new ReviewException(403, "User \"" + reviewer.user() + "\" may not decide " + what
                    + ": only members of " + requirement.approverGroups() + " or " + requirement.approverUsers());
        }
        if (requirement.reasonRequired() && reason.isBlank()) {
            throw new ReviewException(400, what + " needs a reason (--reason)");
        }
        if (verdicts.stream().anyMatch(v -> v.reviewer().user().equals(reviewer.user()))) {
            throw new ReviewException(409, "User \"" + reviewer.user() + "\" has already decided " + what);
        }
        List<Verdict> more = new ArrayList<>(verdicts);
        more.add(new Verdict(reviewer, approve, reason, clock.instant(), breakGlass));
        return more;
    }

    private static void pendingOwnedBy(ReviewState state, Requester owner, Requester who, String kind, String id) {
        if (!owner.user().equals(who.user())) {
            throw new ReviewException(403, "only the requester may cancel " + kind + " " + id);
        }
        if (state != ReviewState.PENDING) {
            throw new ReviewException(409, kind + " " + id + " is " + state.wireName() + ", not pending");
        }
    }

    private static long distinct(List<Verdict> verdicts) {
        return verdicts.stream().filter(Verdict::approve).map(v -> v.reviewer().user()).distinct().count();
    }

    private static Grant withState(Grant g, ReviewState state, Instant validUntil, String revokedBy,
                                   List<Verdict> verdicts) {
        return new Grant(g.id(), state, g.requester(), g.scope(), g.duration(), g.reason(), g.requirement(), verdicts,
                g.created(), g.expires(), validUntil, revokedBy, g.version() + 1);
    }

    private static <T> Future<T> change(Map<String, T> items, String kind, String id, UnaryOperator<T> change) {
        try {
            T changed = items.computeIfPresent(id, (k, v) -> change.apply(v));
            return changed == null ? Future.failedFuture(notFound(kind, id)) : Future.succeededFuture(changed);
        } catch (ReviewException e) {
            return Future.failedFuture(e);
        }
    }

    private static ReviewException notFound(String kind, String id) {
        return new ReviewException(404, kind + " " + id + " not found");
    }

    private static String id(String prefix) {
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < 26; i++) {
            id.append(BASE32[RANDOM.nextInt(32)]);
        }
        return id.toString();
    }
}
