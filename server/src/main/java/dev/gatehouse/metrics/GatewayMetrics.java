package dev.gatehouse.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.audit.runtime.AuditServices;
import dev.gatehouse.export.ExporterStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.gatehouse.authn.AuthenticateStage;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.status.KubeStatus;
import io.vertx.core.http.HttpServerRequest;

/**
 * The gateway's Prometheus metrics (Micrometer), served at {@code /metrics}: every completed request by cluster,
 * verb, status code and decision with its duration, the time requests wait for their evidence to be durable,
 * and whether the audit log is writable. Fed from the one place every completed request passes: the recorder.
 */
public final class GatewayMetrics {
    public static final String PATH = "/metrics";
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Meters are looked up once per tag combination, not built and registered again on every request (that
    // costs more than the increment). The tags are the same few low-cardinality values as before.
    private final Map<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    private final Map<DurationKey, Timer> durations = new ConcurrentHashMap<>();
    private final Timer durableWait = Timer.builder("gatehouse_audit_durable_wait")
            .description("time from append to durable (group commit)").publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(50_000)).maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);

    private record RequestKey(String cluster, String verb, int code, String decision) {
    }

    private record DurationKey(String cluster, String verb) {
    }

    public GatewayMetrics(AuditLog auditLog) {
        Gauge.builder("gatehouse_audit_writable", () -> auditLog.health().writable() ? 1 : 0)
                .description("1 while the audit log accepts events, 0 while requests are refused with 503")
                .register(registry);
    }

    /** Publishes the background verifier's verdict and each exporter's delivery, failures and lag. */
    public void watch(AuditServices services) {
        Gauge.builder("gatehouse_audit_integrity_ok", () -> services.integrity().ok() ? 1 : 0)
                .description("1 while the background verifier finds the log consistent with its checkpoints")
                .register(registry);
        FunctionCounter.builder("gatehouse_audit_integrity_failures", services, AuditServices::integrityFailures)
                .description("inconsistencies the background verifier found").register(registry);
        if (services.shipper() != null) {
            dev.gatehouse.evidence.EvidenceShipper shipper = services.shipper();
            Gauge.builder("gatehouse_evidence_unshipped_objects", shipper, s -> s.status().unshippedObjects())
                    .description("evidence objects (sealed segments, checkpoints, keys, recordings) not shipped yet")
                    .register(registry);
            Gauge.builder("gatehouse_evidence_unshipped_bytes", shipper, s -> s.status().unshippedBytes())
                    .description("bytes of evidence not shipped yet").register(registry);
            Gauge.builder("gatehouse_evidence_unshipped_oldest_seconds", shipper,
                            s -> s.status().oldestAgeSeconds(java.time.Instant.now()))
                    .description("age of the oldest evidence not shipped yet (0 when nothing waits)")
                    .register(registry);
            FunctionCounter.builder("gatehouse_evidence_shipped_objects", shipper, s -> s.status().shippedObjects())
                    .description("objects this process shipped").register(registry);
            FunctionCounter.builder("gatehouse_evidence_ship_failures", shipper, s -> s.status().failures())
                    .description("failed shipping attempts (each retried with backoff)").register(registry);
        }
        for (ExporterStats initial : services.exporters()) {
            String name = initial.name();
            java.util.function.Function<AuditServices, ExporterStats> stats = s -> s.exporters().stream()
                    .filter(e -> e.name().equals(name)).findFirst().orElse(initial);
            FunctionCounter.builder("gatehouse_export_delivered", services, s -> stats.apply(s).delivered())
                    .tag("exporter", name).register(registry);
            FunctionCounter.builder("gatehouse_export_failures", services, s -> stats.apply(s).failures())
                    .tag("exporter", name).register(registry);
            Gauge.builder("gatehouse_export_lag_events", services, s -> stats.apply(s).lag())
                    .tag("exporter", name).description("events in the log not yet delivered").register(registry);
        }
    }

    /** Counts a completed request from its ResponseComplete event. */
    public void completed(AuditEvent event) {
        AuditEvent.Gatehouse gh = event.gatehouse();
        String cluster = gh == null || gh.cluster() == null ? "" : gh.cluster();
        String decision = gh == null || gh.decision() == null ? "" : gh.decision();
        int code = event.responseStatus() == null ? -1 : event.responseStatus().code();
        String verb = event.verb() == null ? "" : event.verb();
        requests.computeIfAbsent(new RequestKey(cluster, verb, code, decision), k -> Counter.builder("gatehouse_requests")
                .description("requests completed, forwarded or refused")
                .tags("cluster", k.cluster(), "verb", k.verb(), "code", k.code() < 0 ? "" : Integer.toString(k.code()),
                        "decision", k.decision())
                .register(registry)).increment();
        if (gh != null && gh.durationMicros() != null) {
            durations.computeIfAbsent(new DurationKey(cluster, verb), k -> Timer.builder("gatehouse_request_duration")
                    .description("from request received to its completed event")
                    .tags("cluster", k.cluster(), "verb", k.verb()).publishPercentileHistogram()
                    .register(registry)).record(gh.durationMicros(), TimeUnit.MICROSECONDS);
        }
    }

    /** Records how long one append waited until it was durable. */
    public void evidenceWait(Duration wait) {
        durableWait.record(wait);
    }

    /**
     * Answers {@code GET /metrics} in the Prometheus text format for an authenticated caller (a scraper holds a
     * token like any client; like the apiserver's, the endpoint is not public); false for other paths.
     */
    public boolean handle(HttpServerRequest request, Authenticator authenticator) {
        if (!PATH.equals(request.path())) {
            return false;
        }
        // The same bearer authentication as cluster requests (one Authorization header, expiry checked).
        new AuthenticateStage(authenticator).apply(new Exchange(RequestHead.of(request))).onComplete(ar -> {
            if (ar.succeeded()) {
                request.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(registry.scrape());
            } else {
                unauthorized(request);
            }
        });
        return true;
    }

    private static void unauthorized(HttpServerRequest request) {
        request.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                .end(KubeStatus.of(401, "Unauthorized: /metrics needs a bearer token").toJson());
    }

    /** The registry, for other parts (exporters, the background verifier) to add their meters. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
