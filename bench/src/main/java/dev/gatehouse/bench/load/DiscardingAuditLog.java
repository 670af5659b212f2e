package dev.gatehouse.bench.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;

/**
 * An audit log that keeps nothing and acknowledges every event at once. Only for the harness's diagnostic
 * target {@code gateway-no-audit}, which shows how much of the gateway's cost per request is the durable log;
 * a gateway that serves anyone never runs with it.
 */
final class DiscardingAuditLog implements AuditLog {
    private final AtomicLong seq = new AtomicLong();

    @Override
    public CompletableFuture<Long> append(AuditEvent event) {
        return CompletableFuture.completedFuture(seq.incrementAndGet());
    }

    @Override
    public AuditHealth health() {
        return AuditHealth.ok();
    }

    @Override
    public void close() {
    }
}
