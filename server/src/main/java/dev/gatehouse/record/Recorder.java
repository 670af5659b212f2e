package dev.gatehouse.record;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.chain.Evidence;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.identity.Identity;
import dev.gatehouse.mask.RequestBodies;
import dev.gatehouse.metrics.GatewayMetrics;
import dev.gatehouse.status.KubeStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Turns an exchange into audit events and appends them. The returned future completes on the caller's
 * Vert.x context once the event is durable, so the chain can hold the end of a response until its evidence
 * is safe.
 */
public final class Recorder implements Evidence {
    private final AuditLog log;
    private final java.util.function.Function<String, String> upstreamModeOfCluster;
    private final GatewayMetrics metrics;
    private final RequestBodies requestBodies;

    /**
     * @param upstreamModeOfCluster how each cluster is told the identity (impersonate, issued-token)
     * @param metrics               counts every completed request and the wait for durability; may be null
     */
    public Recorder(AuditLog log, java.util.function.Function<String, String> upstreamModeOfCluster,
                    GatewayMetrics metrics) {
        this(log, upstreamModeOfCluster, metrics, null);
    }

    /**
     * @param requestBodies what the completed event of a write keeps of its body ({@code requestObject}, masked);
     *                      null to keep none
     */
    public Recorder(AuditLog log, java.util.function.Function<String, String> upstreamModeOfCluster,
                    GatewayMetrics metrics, RequestBodies requestBodies) {
        this.log = log;
        this.upstreamModeOfCluster = upstreamModeOfCluster;
        this.metrics = metrics;
        this.requestBodies = requestBodies;
    }

    public AuditLog log() {
        return log;
    }

    /** Records a stage of a request that is still running (RequestReceived or ResponseStarted). */
    public Future<Void> recordStart(Exchange exchange, String stage) {
        return append(event(exchange, stage, null, null, null, null, null));
    }

    @Override
    public Future<Void> started(Exchange exchange, Map<String, String> details) {
        return append(event(exchange, AuditEvent.STAGE_RESPONSE_STARTED, null, null, null, null, details));
    }

    @Override
    public Future<Void> completed(Exchange exchange, int code, long bytesIn, long bytesOut, String note,
                                  Map<String, String> details) {
        return append(event(exchange, AuditEvent.STAGE_RESPONSE_COMPLETE,
                new AuditEvent.ResponseStatus(Map.of(), null, note, null, code), bytesIn, bytesOut, null, details));
    }

    @Override
    public Future<Void> refused(Exchange exchange, KubeStatus status, long bytesIn) {
        return append(event(exchange, AuditEvent.STAGE_RESPONSE_COMPLETE,
                new AuditEvent.ResponseStatus(Map.of(), "Failure", status.message(), status.reason(), status.code()),
                bytesIn, 0L, status, null));
    }

    private Future<Void> append(AuditEvent event) {
        Context context = Vertx.currentContext();
        Promise<Void> promise = Promise.promise();
        long start = System.nanoTime();
        log.append(event).whenComplete((seq, error) -> {
            // This runs on the log's writer thread: only take the time here; everything else happens on the
            // request's context, so no per-request work delays the rest of the commit group.
            long durable = System.nanoTime();
            Runnable complete = () -> {
                if (error == null) {
                    if (metrics != null) {
                        metrics.evidenceWait(java.time.Duration.ofNanos(durable - start));
                        if (AuditEvent.STAGE_RESPONSE_COMPLETE.equals(event.stage())) {
                            metrics.completed(event);
                        }
                    }
                    promise.complete();
                } else {
                    promise.fail(error);
                }
            };
            if (context != null) {
                context.runOnContext(v -> complete.run());
            } else {
                complete.run();
            }
        });
        return promise.future();
    }

    AuditEvent event(Exchange ex, String stage, AuditEvent.ResponseStatus status, Long bytesIn, Long bytesOut,
                     KubeStatus refusal, Map<String, String> details) {
        Identity id = ex.identity();
        RequestInfo info = ex.info();
        AuditEvent.UserInfo user = AuditEvent.UserInfo.of(id);
        AuditEvent.ObjectRef ref = info == null || !info.resourceRequest() ? null
                : new AuditEvent.ObjectRef(info.resource(), info.namespace(), info.name(), info.apiGroup(),
                info.apiVersion(), info.subresource());
        String verb = info != null ? info.verb() : ex.head().method().toLowerCase(java.util.Locale.ROOT);
        String decision = refusal != null ? (ex.decision().isEmpty() ? "refused" : ex.decision())
                : ex.decision().isEmpty() ? "allow" : ex.decision();
        String reason = refusal != null ? refusal.message() : ex.decisionReason();
        AuditEvent.Authn authn = AuditEvent.Authn.of(id, ex.refusedCredential());
        String userAgent = ex.head().headers().get("User-Agent");
        AuditEvent.Gatehouse gh = new AuditEvent.Gatehouse("request", null, ex.cluster().isEmpty() ? null : ex.cluster(),
                decision, reason == null || reason.isEmpty() ? null : reason, ex.elapsedMicros(), bytesIn, bytesOut,
                authn, id != null && refusal == null ? upstreamModeOfCluster.apply(ex.cluster()) : null,
                withDecision(ex, details));
        // the body only in the completed event: by then a streamed body has passed whole
        JsonNode requestObject = requestBodies != null && AuditEvent.STAGE_RESPONSE_COMPLETE.equals(stage)
                ? requestBodies.requestObject(ex) : null;
        return AuditEvent.builder().auditID(ex.id()).stage(stage).requestURI(ex.head().requestUri()).verb(verb)
                .user(user).sourceIPs(List.of(ex.head().remoteIp())).userAgent(userAgent).objectRef(ref)
                .responseStatus(status).requestObject(requestObject).receivedAt(ex.received()).stageAt(Instant.now())
                .gatehouse(gh).build();
    }

    /** The event's details with what the decision rested on (rule, review, grant) first; null when both are empty. */
    private static Map<String, String> withDecision(Exchange ex, Map<String, String> details) {
        if (ex.decisionDetails().isEmpty()) {
            return details;
        }
        Map<String, String> all = new java.util.LinkedHashMap<>(ex.decisionDetails());
        if (details != null) {
            all.putAll(details);
        }
        return all;
    }
}
