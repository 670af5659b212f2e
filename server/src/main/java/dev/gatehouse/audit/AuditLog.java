package dev.gatehouse.audit;

import java.util.concurrent.CompletableFuture;

/**
 * The append-only log every piece of evidence goes through. Appends are durable when their future
 * completes: the chain does not forward a request it cannot record, nor tell a client a request finished
 * before its event is durable. Implementations never block the caller's thread.
 */
public interface AuditLog extends AutoCloseable {

    /**
     * Appends {@code event}. The future completes with the event's position (its {@code gatehouse.seq})
     * once the event is durable, or fails when it cannot be written.
     */
    CompletableFuture<Long> append(AuditEvent event);

    /** Whether new events can be written now; while not, requests are refused with 503. */
    AuditHealth health();

    /** Flushes what is pending and closes the log. */
    @Override
    void close();

    /** The log's writability, with the problem in a sentence when it is not writable. */
    record AuditHealth(boolean writable, String problem) {
        public static AuditHealth ok() {
            return new AuditHealth(true, "");
        }

        public static AuditHealth failing(String problem) {
            return new AuditHealth(false, problem);
        }
    }
}
