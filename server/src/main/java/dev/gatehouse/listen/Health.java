package dev.gatehouse.listen;

import java.util.Set;

import dev.gatehouse.audit.AuditLog;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code /livez} (the process runs), {@code /readyz} (the gateway can serve: its audit log is writable) and
 * {@code /healthz} (ready, and the supplied problem — an integrity alert, evidence shipping far behind — is empty;
 * a problem does not stop serving, it is for the operator). Unauthenticated and not audited, like the apiserver's own.
 */
final class Health {
    private static final Set<String> PATHS = Set.of("/livez", "/readyz", "/healthz");
    private final AuditLog auditLog;
    private final java.util.function.Supplier<String> integrityProblem;

    Health(AuditLog auditLog, java.util.function.Supplier<String> integrityProblem) {
        this.auditLog = auditLog;
        this.integrityProblem = integrityProblem;
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
        if (!health.writable()) {
            request.response().setStatusCode(503).putHeader("Content-Type", "text/plain")
                    .end("audit log not writable: " + health.problem());
            return;
        }
        String integrity = request.path().equals("/healthz") ? integrityProblem.get() : "";
        request.response().setStatusCode(integrity.isEmpty() ? 200 : 503).putHeader("Content-Type", "text/plain")
                .end(integrity.isEmpty() ? "ok" : integrity);
    }
}
