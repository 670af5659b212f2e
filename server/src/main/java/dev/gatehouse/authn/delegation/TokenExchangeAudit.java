package dev.gatehouse.authn.delegation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.authn.delegation.TokenExchange.Outcome;
import dev.gatehouse.identity.Identity;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The evidence of the token endpoint: one audit event of type {@value #TYPE} per answer to
 * {@code POST /oauth2/token}, issued or refused. Its user is the subject (or {@code system:anonymous} when the
 * subject token did not verify); {@code gatehouse.authn} names the new token's {@code jti} and the actor chain;
 * {@code gatehouse.details} the actor and the ids of both presented tokens — never a token. The endpoint
 * answers only once the event is durable, so no token is handed out without its record.
 */
public final class TokenExchangeAudit {
    /** {@code gatehouse.type} of these events. */
    public static final String TYPE = "token-exchange";
    /** {@code objectRef.resource} of these events. */
    public static final String RESOURCE = "tokenexchanges";

    private final AuditLog log;

    public TokenExchangeAudit(AuditLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * One request to the token endpoint as the client sent it.
     *
     * @param id        the request id, also sent back as {@code Audit-ID}
     * @param received  when the request arrived
     * @param startNanos {@link System#nanoTime()} then
     * @param sourceIp  the client's address
     * @param userAgent its User-Agent, or null
     * @param bytesIn   the size of the form read
     */
    public record Request(String id, Instant received, long startNanos, String sourceIp, String userAgent,
                          long bytesIn) {
    }

    /** Appends the event of this answer; completes (on the caller's context) once it is durable. */
    public Future<Void> record(Request request, Outcome outcome) {
        Context context = Vertx.currentContext();
        Future<Long> appended;
        try {
            appended = context == null ? Future.fromCompletionStage(log.append(event(request, outcome)))
                    : Future.fromCompletionStage(log.append(event(request, outcome)), context);
        } catch (RuntimeException e) {
            appended = Future.failedFuture(e);
        }
        return appended.mapEmpty();
    }

    static AuditEvent event(Request request, Outcome outcome) {
        TokenExchange.Parties parties = outcome.parties();
        Identity subject = parties.subject();
        AuditEvent.UserInfo user = AuditEvent.UserInfo.of(subject);
        AuditEvent.ObjectRef ref;
        AuditEvent.ResponseStatus status;
        AuditEvent.Authn authn;
        String decision;
        String reason;
        Map<String, String> details = details(parties);
        if (outcome instanceof Outcome.Issued issued) {
            Identity delegated = issued.identity();
            ref = new AuditEvent.ObjectRef(RESOURCE, null, delegated.credentialId(), null, null, null);
            status = new AuditEvent.ResponseStatus(Map.of(), null, null, null, 200);
            authn = AuditEvent.Authn.of(delegated, null);
            decision = "allow";
            reason = "delegated token " + delegated.credentialId() + " issued to " + parties.actor().user()
                    + " acting for " + delegated.user() + ", valid " + issued.expiresIn() + " s";
            details.put("expiresAt", AuditEvent.timestamp(delegated.expiresAt()));
        } else {
            Outcome.Error error = (Outcome.Error) outcome;
            ref = new AuditEvent.ObjectRef(RESOURCE, null, null, null, null, null);
            status = new AuditEvent.ResponseStatus(Map.of(), "Failure", error.description(), error.error(),
                    error.status());
            authn = AuditEvent.Authn.of(subject, parties.subjectCredential());
            decision = "refused";
            reason = error.error() + ": " + error.description();
        }
        AuditEvent.Gatehouse gatehouse = new AuditEvent.Gatehouse(TYPE, null, null, decision, reason,
                (System.nanoTime() - request.startNanos()) / 1_000, request.bytesIn(), null, authn, null,
                details.isEmpty() ? null : Map.copyOf(details));
        return AuditEvent.builder().auditID(request.id()).requestURI(IssuerEndpoints.TOKEN_PATH).verb("create")
                .user(user).sourceIPs(List.of(request.sourceIp())).userAgent(request.userAgent()).objectRef(ref)
                .responseStatus(status).receivedAt(request.received()).stageAt(Instant.now()).gatehouse(gatehouse)
                .build();
    }


    private static Map<String, String> details(TokenExchange.Parties parties) {
        Map<String, String> details = new LinkedHashMap<>();
        if (parties.subjectCredential() != null) {
            details.put("subjectCredential", parties.subjectCredential());
        }
        if (parties.subject() != null) {
            details.put("subjectMethod", parties.subject().method().wireName());
        }
        Identity actor = parties.actor();
        if (actor != null) {
            details.put("actor", actor.user());
            details.put("actorIssuer", actor.issuer());
            details.put("actorMethod", actor.method().wireName());
        }
        if (parties.actorCredential() != null) {
            details.put("actorCredential", parties.actorCredential());
        }
        return details;
    }
}
