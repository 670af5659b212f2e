package dev.gatehouse.report;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;
import dev.gatehouse.session.FileRecordingStore;

/**
 * A log written by a test with events it knows, shaped as the gateway writes them (request, review, session,
 * evidence-read, system), each at a chosen minute after {@link #T0}. {@link #write} appends them in order to a real
 * {@link ChainedFileAuditLog} and closes it, so a signed checkpoint covers every one.
 */
final class KnownLog {
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    final List<AuditEvent> events = new ArrayList<>();

    static Instant at(int minute) {
        return T0.plus(Duration.ofMinutes(minute));
    }

    /** Appends; returns its position. */
    int add(AuditEvent e) {
        events.add(e);
        return events.size() - 1;
    }

    static AuditEvent.Authn oidc() {
        return new AuditEvent.Authn("oidc", "https://idp.example", "kid-1", false, List.of(), Map.of());
    }

    static AuditEvent.Authn staticToken(String credentialId) {
        return new AuditEvent.Authn("static-token", null, credentialId, true, List.of(), Map.of());
    }

    static AuditEvent.Authn delegated(List<String> actors, Map<String, String> attributes) {
        return new AuditEvent.Authn("delegated", "https://gatehouse.example", "jti-1", false, actors, attributes);
    }

    /** A request as the Recorder writes it. */
    static Req request(String user, String verb, String resource, String namespace, String name, int code,
                       int minute) {
        return new Req(user, verb, resource, namespace, name, code, minute);
    }

    static final class Req {
        final String user;
        final String verb;
        final String resource;
        final String namespace;
        final String name;
        final int code;
        final int minute;
        String cluster = "prod";
        String decision;
        String subresource;
        String stage = AuditEvent.STAGE_RESPONSE_COMPLETE;
        String uri;
        String auditId = java.util.UUID.randomUUID().toString();
        String apiGroup = "";
        AuditEvent.Authn authn = oidc();
        final Map<String, String> details = new LinkedHashMap<>();

        Req(String user, String verb, String resource, String namespace, String name, int code, int minute) {
            this.user = user;
            this.verb = verb;
            this.resource = resource;
            this.namespace = namespace;
            this.name = name;
            this.code = code;
            this.minute = minute;
            this.decision = code < 400 ? "allow" : "deny";
        }

        Req cluster(String v) { cluster = v; return this; }
        Req decision(String v) { decision = v; return this; }
        Req subresource(String v) { subresource = v; return this; }
        Req stage(String v) { stage = v; return this; }
        Req uri(String v) { uri = v; return this; }
        Req auditId(String v) { auditId = v; return this; }
        Req apiGroup(String v) { apiGroup = v; return this; }
        Req authn(AuditEvent.Authn v) { authn = v; return this; }
        Req detail(String k, String v) { details.put(k, v); return this; }

        AuditEvent build() {
            String path = "/api/v1/namespaces/" + namespace + "/" + resource + (name == null ? "" : "/" + name)
                    + (subresource == null ? "" : "/" + subresource);
            return AuditEvent.builder().auditID(auditId).stage(stage).requestURI(uri != null ? uri : path).verb(verb)
                    .user(new AuditEvent.UserInfo(user, "uid-" + user, List.of("developers"), null))
                    .sourceIPs(List.of("10.0.0.7")).userAgent("kubectl/v1.31")
                    .objectRef(new AuditEvent.ObjectRef(resource, namespace, name, apiGroup, "v1", subresource))
                    .responseStatus(new AuditEvent.ResponseStatus(Map.of(), code < 400 ? null : "Failure",
                            code < 400 ? null : "refused", null, code))
                    .receivedAt(at(minute)).stageAt(at(minute))
                    .gatehouse(new AuditEvent.Gatehouse("request", null, cluster, decision, "rule r", 100L, 0L, 10L,
                            authn, "impersonate", Map.copyOf(details)))
                    .build();
        }
    }

    /** A review step as ReviewAuditEvents writes it. */
    static AuditEvent review(String step, String reviewId, String actor, String requester, String state,
                             boolean decisive, int minute, String reason) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("reviewId", reviewId);
        details.put("requestAuditId", "held-" + reviewId);
        details.put("rule", "prod-changes");
        details.put("requester", requester);
        details.put("breakGlass", "false");
        details.put("decisive", Boolean.toString(decisive));
        if (reason != null) {
            details.put("reason", reason);
        }
        return AuditEvent.builder().auditID(java.util.UUID.randomUUID().toString()).requestURI("").verb(step)
                .user(new AuditEvent.UserInfo(actor, null, List.of("sre"), null)).userAgent("gatehouse")
                .objectRef(new AuditEvent.ObjectRef("deployments", "shop", "web", "apps", null, null))
                .receivedAt(at(minute)).stageAt(at(minute))
                .gatehouse(new AuditEvent.Gatehouse("review", null, "prod", state, actor + " " + step, null, null, null,
                        new AuditEvent.Authn("oidc", "https://idp.example", null, false, List.of(), Map.of()), null,
                        Map.copyOf(details)))
                .build();
    }

    /** An evidence read as EvidenceReadAudit writes it. */
    static AuditEvent evidenceRead(String user, String operation, int code, int minute) {
        return AuditEvent.builder().auditID(java.util.UUID.randomUUID().toString())
                .requestURI("/gatehouse/v1/audit/" + operation).verb(operation)
                .user(new AuditEvent.UserInfo(user, null, List.of("auditors"), null)).sourceIPs(List.of("10.0.0.9"))
                .objectRef(new AuditEvent.ObjectRef("auditlog", null, null, "gatehouse.dev", "v1", null))
                .responseStatus(new AuditEvent.ResponseStatus(Map.of(), null, null, null, code))
                .receivedAt(at(minute)).stageAt(at(minute))
                .gatehouse(new AuditEvent.Gatehouse("evidence-read", null, null, code < 400 ? "allow" : "refused",
                        user + " ran audit " + operation, 10L, 0L, null, oidc(), null,
                        Map.of("operation", operation, "user", "alice", "results", "3")))
                .build();
    }

    /** Writes the events to a file log in {@code dir} and closes it (its last checkpoint covers all of them). */
    Path write(Path dir) throws Exception {
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir)
                .withCheckpointInterval(Duration.ofMillis(100)))) {
            for (AuditEvent e : events) {
                log.append(e).toCompletableFuture().get();
            }
        }
        return dir;
    }

    static ReportRunner runner(Path logDir, FileRecordingStore sessions) {
        return new ReportRunner(Reports.standard(), new FileReportSources(logDir, sessions, null),
                () -> Long.MAX_VALUE, Clock.fixed(at(600), ZoneOffset.UTC));
    }

    /** The whole day of {@link #T0}. */
    static ReportQuery day(String report, Map<String, String> parameters) {
        return new ReportQuery(report, Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-03T00:00:00Z"),
                parameters);
    }
}
