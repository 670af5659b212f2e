package dev.gatehouse.audit;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** An in-memory audit log for tests; can be told to fail like a full disk. */
public final class MemoryAuditLog implements AuditLog {
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private volatile String failure;

    @Override
    public CompletableFuture<Long> append(AuditEvent event) {
        if (failure != null) {
            return CompletableFuture.failedFuture(new java.io.IOException(failure));
        }
        long position = seq.incrementAndGet();
        events.add(event.withSeq(position));
        return CompletableFuture.completedFuture(position);
    }

    @Override
    public AuditHealth health() {
        return failure == null ? AuditHealth.ok() : AuditHealth.failing(failure);
    }

    /** Makes every append fail (and health report it) until {@code null} is passed. */
    public void failWith(String problem) {
        this.failure = problem;
    }

    public List<AuditEvent> events() {
        return List.copyOf(events);
    }

    /** The events of one request, in log order. */
    public List<AuditEvent> eventsFor(String auditId) {
        return events.stream().filter(e -> auditId.equals(e.auditID())).toList();
    }

    @Override
    public void close() {
    }
}
