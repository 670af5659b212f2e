package dev.gatehouse.api;

import java.util.concurrent.CompletableFuture;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.audit.file.ChainedFileAuditLog;

/** The real file log, which a test can make refuse appends like a full disk. */
final class SwitchableAuditLog implements AuditLog {
    final ChainedFileAuditLog file;
    private volatile String failure;

    SwitchableAuditLog(ChainedFileAuditLog file) {
        this.file = file;
    }

    void failWith(String problem) {
        failure = problem;
    }

    @Override
    public CompletableFuture<Long> append(AuditEvent event) {
        return failure != null ? CompletableFuture.failedFuture(new java.io.IOException(failure)) : file.append(event);
    }

    @Override
    public KeyRotation rotateKey(java.util.function.Function<KeyRotation, AuditEvent> describe)
            throws java.io.IOException {
        if (failure != null) {
            throw new dev.gatehouse.audit.AuditLogUnavailableException(failure);
        }
        return file.rotateKey(describe);
    }

    @Override
    public AuditHealth health() {
        return failure != null ? AuditHealth.failing(failure) : file.health();
    }

    @Override
    public void close() {
        file.close();
    }
}
