package dev.gatehouse.audit.file;

import java.util.concurrent.CompletableFuture;

/** An event waiting in the queue, already serialized, with the future its appender holds. */
record PendingAppend(SequencedLine line, CompletableFuture<Long> future) {
    /** Put by {@code close()}: the writer finishes its batch and stops. */
    static final PendingAppend CLOSE = new PendingAppend(null, null);
}
