package dev.gatehouse.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.identity.Identity;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The evidence of reading the evidence: one event of type {@value #TYPE} per call to the audit API, answered or
 * refused (a key rotation's is of type {@value EvidenceRead.RotateKey#KEY_ROTATION}, about {@code auditkeys}, and
 * carries the retired and the new key). {@code user} and {@code gatehouse.authn} name the caller (method, issuer, credential id — never the
 * token), {@code verb} the operation (query, verify, prove, export, keys), {@code gatehouse.details} what was asked
 * (filters, event id, range) and {@code results} how many events, keys or reports the answer carries;
 * {@code responseStatus.code} the outcome. The API answers only once this event is durable.
 */
public final class EvidenceReadAudit {
    /** {@code gatehouse.type} of these events. */
    public static final String TYPE = "evidence-read";
    /** {@code objectRef.resource} of these events: what was read. */
    public static final String RESOURCE = "auditlog";

    private final AuditLog log;

    public EvidenceReadAudit(AuditLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * The outcome of one call.
     *
     * @param read    what was asked, or null when the request was refused before it was understood
     * @param code    the HTTP status the caller gets
     * @param message the Status message of a refusal, or null
     * @param results how many items the answer carries, or null for a refusal
     */
    public record Outcome(EvidenceRead read, int code, String message, Long results) {
    }

    /** Appends the event of this call; completes on the caller's context once it is durable. */
    public Future<Void> record(Exchange exchange, Outcome outcome) {
        Context context = Vertx.currentContext();
        try {
            AuditEvent event = event(exchange, outcome);
            return (context == null ? Future.fromCompletionStage(log.append(event))
                    : Future.fromCompletionStage(log.append(event), context)).mapEmpty();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    static AuditEvent event(Exchange ex, Outcome outcome) {
        Identity id = ex.identity();
        AuditEvent.UserInfo user = AuditEvent.UserInfo.of(id);
        AuditEvent.Authn authn = AuditEvent.Authn.of(id, ex.refusedCredential());
        EvidenceRead read = outcome.read();
        String operation = read == null ? "read" : read.operation();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("operation", operation);
        if (read != null) {
            details.putAll(read.details());
        }
        if (outcome.results() != null) {
            details.put("results", Long.toString(outcome.results()));
        }
        boolean ok = outcome.code() < 400;
        String who = id == null ? "system:anonymous" : id.user();
        String reason = !ok ? outcome.message() : read instanceof EvidenceRead.RotateKey r && r.done() != null
                ? who + " rotated the checkpoint signing key " + r.done().previousKeyId() + " -> " + r.done().keyId()
                : read instanceof EvidenceRead.RotateMaskKey m && m.keyId() != null
                ? who + " rotated the mask key " + m.previousKeyId() + " -> " + m.keyId()
                : read instanceof EvidenceRead.SignOff so ? who + " signed off " + so.principal() + " on "
                + so.resource() + " in campaign " + so.campaign() + ": " + so.decision()
                : who + " ran audit " + operation;
        AuditEvent.ResponseStatus status = ok ? new AuditEvent.ResponseStatus(Map.of(), null, null, null,
                outcome.code()) : new AuditEvent.ResponseStatus(Map.of(), "Failure", outcome.message(), null,
                outcome.code());
        String name = switch (read) {
            case EvidenceRead.Prove p -> p.auditId();
            case EvidenceRead.Report r -> r.query().name();
            case EvidenceRead.SignOff so -> so.campaign();
            case EvidenceRead.RotateKey r when r.done() != null -> r.done().keyId();
            case EvidenceRead.RotateMaskKey m when m.keyId() != null -> m.keyId();
            case null, default -> null;
        };
        String type = read == null ? TYPE : read.eventType();
        AuditEvent.Gatehouse gatehouse = new AuditEvent.Gatehouse(type, null, null, ok ? "allow" : "refused", reason,
                ex.elapsedMicros(), 0L, null, authn, null, Map.copyOf(details));
        return AuditEvent.builder().auditID(ex.id()).requestURI(ex.head().requestUri()).verb(operation).user(user)
                .sourceIPs(List.of(ex.head().remoteIp())).userAgent(ex.head().headers().get("User-Agent"))
                .objectRef(new AuditEvent.ObjectRef(read == null ? RESOURCE : read.resource(), null, name,
                        "gatehouse.dev", "v1", null))
                .responseStatus(status).receivedAt(ex.received()).stageAt(Instant.now()).gatehouse(gatehouse).build();
    }
}
