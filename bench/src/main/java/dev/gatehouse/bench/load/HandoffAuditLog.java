package dev.gatehouse.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.AuditLog;

/**
 * Diagnostic only ({@code GatewayMain --audit-log handoff:MICROS}): an audit log that does everything the durable
 * log does around the disk but not the write. Events are serialized on the appender's thread and queued to a
 * writer thread of its own, which takes what is queued as one batch, waits {@code MICROS} (standing in for the
 * device's latency, without its CPU) and completes the batch's futures from that thread. Set against the durable
 * log and {@link DiscardingAuditLog}, it splits the log's cost per request into the hand-offs between threads,
 * the wait itself (an idle machine between requests at low concurrency), and the device.
 */
final class HandoffAuditLog implements AuditLog {
    private record Pending(byte[] json, CompletableFuture<Long> future) {
    }

    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(65536);
    private final long delayNanos;
    private final Thread thread;
    private volatile boolean closed;
    private long seq;

    HandoffAuditLog(long delayMicros) {
        this.delayNanos = TimeUnit.MICROSECONDS.toNanos(delayMicros);
        this.thread = Thread.ofPlatform().name("audit-log-writer").daemon(true).start(this::run);
    }

    @Override
    public CompletableFuture<Long> append(AuditEvent event) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        if (!queue.offer(new Pending(AuditEventJson.toBytes(event), future))) {
            future.completeExceptionally(new IllegalStateException("queue full"));
        }
        return future;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!closed) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch);
            if (delayNanos > 0) {
                LockSupport.parkNanos(delayNanos);
            }
            for (Pending p : batch) {
                p.future().complete(seq++);
            }
            batch.clear();
        }
    }

    @Override
    public AuditHealth health() {
        return AuditHealth.ok();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
