package dev.gatehouse.review.evidence;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.review.Grant;
import dev.gatehouse.review.HeldRequest;
import dev.gatehouse.review.Requester;
import dev.gatehouse.review.Review;
import dev.gatehouse.review.ReviewEvent;
import dev.gatehouse.review.ReviewListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The evidence of reviews and grants: one audit event per step, of {@code gatehouse.type} {@value #REVIEW} or
 * {@value #GRANT}. {@code verb} is the step (created, approved, denied, expired, cancelled, used, grant-requested,
 * grant-approved, ...), {@code user} the actor (with its actor chain in {@code gatehouse.authn}),
 * {@code objectRef} the held request's object (for grants, {@code grants} named by the grant id), and
 * {@code gatehouse.decision} the state after the step. {@code gatehouse.details} carries {@code reviewId} (the
 * query index reads that key) or {@code grantId}, {@code requestAuditId}, {@code rule}, {@code approvals}
 * ("n/N"), {@code breakGlass}, {@code decisive}, {@code reason} and {@code fingerprint}. Completes once durable.
 */
public final class ReviewAuditEvents implements ReviewListener {
    /** {@code gatehouse.type} of a review's events. */
    public static final String REVIEW = "review";
    /** {@code gatehouse.type} of a grant's events. */
    public static final String GRANT = "grant";

    private final AuditLog log;

    public ReviewAuditEvents(AuditLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public Future<Void> recorded(ReviewEvent event) {
        Context context = Vertx.currentContext();
        try {
            AuditEvent audit = event(event);
            return (context == null ? Future.fromCompletionStage(log.append(audit))
                    : Future.fromCompletionStage(log.append(audit), context)).mapEmpty();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    static AuditEvent event(ReviewEvent e) {
        Requester actor = e.actor();
        Map<String, String> details = new LinkedHashMap<>();
        AuditEvent.ObjectRef ref;
        String cluster;
        String sentence;
        if (e.review() != null) {
            Review r = e.review();
            HeldRequest held = r.request();
            details.put("reviewId", r.id());
            details.put("requestAuditId", e.requestAuditId().isEmpty() ? held.auditId() : e.requestAuditId());
            details.put("rule", r.rule());
            details.put("approvals", r.approvals() + "/" + r.requirement().approvals());
            details.put("fingerprint", held.fingerprint());
            details.put("requester", r.requester().user());
            ref = new AuditEvent.ObjectRef(held.resource(), held.namespace(), held.name(), held.apiGroup(), null,
                    held.subresource());
            cluster = held.cluster();
            sentence = actor.user() + " " + e.kind().wireName() + " review " + r.id() + " of "
                    + r.requester().user() + ": " + held.describe();
        } else {
            Grant g = e.grant();
            details.put("grantId", g.id());
            if (!e.requestAuditId().isEmpty()) {
                details.put("requestAuditId", e.requestAuditId());
            }
            details.put("approvals", approvers(g) + "/" + g.requirement().approvals());
            details.put("requester", g.requester().user());
            details.put("scope", scope(g.scope()));
            details.put("duration", g.duration().toString());
            if (g.validUntil() != null) {
                details.put("validUntil", AuditEvent.timestamp(g.validUntil()));
            }
            ref = new AuditEvent.ObjectRef("grants", null, g.id(), "gatehouse.dev", "v1", null);
            cluster = g.scope().cluster();
            sentence = actor.user() + " " + e.kind().wireName().replace("grant-", "") + " grant " + g.id() + " of "
                    + g.requester().user() + ": " + scope(g.scope()) + " for " + g.duration();
        }
        details.put("breakGlass", Boolean.toString(e.breakGlass()));
        details.put("decisive", Boolean.toString(e.decisive()));
        if (!e.reason().isEmpty()) {
            details.put("reason", e.reason());
        }
        AuditEvent.Authn authn = new AuditEvent.Authn(blankToNull(actor.method()), blankToNull(actor.issuer()),
                null, e.breakGlass(), actor.actorChain(), Map.of());
        AuditEvent.Gatehouse gatehouse = new AuditEvent.Gatehouse(e.kind().grant() ? GRANT : REVIEW, null, cluster,
                e.state().wireName(), sentence + (e.reason().isEmpty() ? "" : " (" + e.reason() + ")"), null, null,
                null, authn, null, Map.copyOf(details));
        return AuditEvent.builder().auditID(UUID.randomUUID().toString()).requestURI("").verb(e.kind().wireName())
                .user(new AuditEvent.UserInfo(actor.user(), null, actor.groups(), null)).userAgent("gatehouse")
                .objectRef(ref).receivedAt(e.time()).stageAt(Instant.now()).gatehouse(gatehouse).build();
    }

    private static long approvers(Grant g) {
        return g.verdicts().stream().filter(v -> v.approve()).map(v -> v.reviewer().user()).distinct().count();
    }

    /** "cluster prod, namespaces [web], verbs [get], resources [pods/log]". */
    static String scope(Grant.Scope s) {
        return "cluster " + s.cluster() + ", namespaces " + (s.namespaces().isEmpty() ? "(cluster-scoped only)"
                : s.namespaces()) + ", verbs " + s.verbs() + ", resources " + s.resources();
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
