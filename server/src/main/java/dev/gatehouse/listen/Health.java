package dev.gatehouse.listen;

import java.util.Set;

import dev.gatehouse.audit.AuditLog;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code /livez} (the process runs), {@code /readyz} and {@code /healthz} (the gateway can serve: its audit
 * log is writable). Unauthenticated and not audited, like the apiserver's own health endpoints.
 */
final class Health {
    private static final Set<String> PATHS = Set.of("/livez", "/readyz", "/healthz");
    private final AuditLog auditLog;

    Health(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    static boolean handles(String path) {
        return PATHS.contains(path);
    }

    void handle(HttpServerRequest request) {
        if (request.path().equals("/livez")) {
            request.response().putHeader("Content-Type", "text/plain").end("ok");
            return;
        }
        AuditLog.AuditHealth health = auditLog.health();
        request.response().setStatusCode(health.writable() ? 200 : 503).putHeader("Content-Type", "text/plain")
                .end(health.writable() ? "ok" : "audit log not writable: " + health.problem());
    }
}
