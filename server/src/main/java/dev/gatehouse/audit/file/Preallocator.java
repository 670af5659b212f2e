package dev.gatehouse.audit.file;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the active segment zero-filled ahead of the writer ({@link ActiveSegment#extend()}) on a thread of its
 * own, so the writer's commits overwrite existing bytes instead of growing the file and never wait for the
 * zero-filling. At most one extension runs or waits at a time. When extending fails (a full disk), commits simply
 * grow the file as before; the writer's own error handling decides about the log's health, not this class.
 */
final class Preallocator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Preallocator.class);
    private static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ExecutorService executor = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("audit-log-prealloc").daemon(true).factory());
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile long failedAt;
    private volatile boolean failed;

    /** Asks for {@code segment} to be extended if it wants it; returns at once. */
    void request(ActiveSegment segment) {
        if (!segment.wantsExtension() || (failed && System.nanoTime() - failedAt < RETRY_AFTER_FAILURE_NANOS)
                || !queued.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    segment.extend();
                    failed = false;
                } catch (IOException | RuntimeException e) {
                    if (!failed) {
                        LOG.warn("audit log: cannot zero-fill {} ahead of the writer ({}); commits grow the file",
                                segment.segment().path().getFileName(), e.toString());
                    }
                    failedAt = System.nanoTime();
                    failed = true;
                } finally {
                    queued.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            queued.set(false);
        }
    }

    /** Lets a running extension finish; never interrupts it (an interrupt closes a FileChannel mid-write). */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
