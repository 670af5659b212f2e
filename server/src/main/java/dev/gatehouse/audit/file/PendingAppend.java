package dev.gatehouse.audit.file;

import java.util.concurrent.CompletableFuture;

import dev.gatehouse.audit.AuditEvent;

/** An event waiting in the queue, with the future its appender holds. */
record PendingAppend(AuditEvent event, CompletableFuture<Long> future) {
    /** Put by {@code close()}: the writer finishes its batch and stops. */
    static final PendingAppend CLOSE = new PendingAppend(null, null);
}
