package dev.gatehouse.audit;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

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

    /**
     * Replaces the key that signs the log's checkpoints. The event {@code describe} makes of the rotation (the
     * key it retires and the one it activates, with its public half) is made durable first; only then does the
     * new key become active, so no checkpoint is signed by a key the log has not announced, and a log that cannot
     * record the rotation does not rotate. Blocks until done: call it from a worker, never an event loop.
     *
     * @throws AuditLogUnavailableException when the event cannot be written (nothing rotated)
     * @throws IOException when the new key cannot be stored after its event was recorded (the old key signs on)
     * @throws UnsupportedOperationException when this log signs no checkpoints
     */
    default KeyRotation rotateKey(Function<KeyRotation, AuditEvent> describe) throws IOException {
        throw new UnsupportedOperationException("this audit log signs no checkpoints, so it has no key to rotate");
    }

    /** A rotation of the checkpoint signing key: the retired key's id, the new key's id and public half (PEM). */
    record KeyRotation(String previousKeyId, String keyId, String publicKeyPem) {
    }

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
