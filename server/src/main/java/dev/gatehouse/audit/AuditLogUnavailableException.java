package dev.gatehouse.audit;

/**
 * An event could not be made durable: the log is not writable (disk full, unwritable directory), its queue is
 * full, or it is closed. The request that needed the event is refused with 503.
 */
public final class AuditLogUnavailableException extends RuntimeException {
    public AuditLogUnavailableException(String message) {
        super(message, null, false, false);
    }

    public AuditLogUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
