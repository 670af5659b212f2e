package dev.gatehouse.record;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.Stage;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;

/**
 * Evidence first: no request reaches a cluster unless its record can be written. Refuses with 503 while the
 * audit log is not writable, and for requests that change state writes a durable {@code RequestReceived}
 * event before the request is forwarded — so a crash after forwarding still leaves evidence that it was sent.
 * (Long-running requests get their {@code ResponseStarted} event from the forwarder, when the cluster answers.)
 */
public final class EvidenceGate implements Stage {
    private final Recorder recorder;

    public EvidenceGate(Recorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public Future<Void> apply(Exchange exchange) {
        AuditLog.AuditHealth health = recorder.log().health();
        if (!health.writable()) {
            return Future.failedFuture(GatewayException.unavailable(
                    "the audit log cannot be written, so no request is forwarded: " + health.problem()));
        }
        RequestInfo info = exchange.info();
        if (info.mutating()) {
            return writeAhead(exchange, AuditEvent.STAGE_REQUEST_RECEIVED);
        }
        return Future.succeededFuture();
    }

    private Future<Void> writeAhead(Exchange exchange, String stage) {
        return recorder.recordStart(exchange, stage).recover(error -> Future.failedFuture(
                GatewayException.unavailable("the audit log cannot be written, so the request was not forwarded: "
                        + error.getMessage())));
    }
}
