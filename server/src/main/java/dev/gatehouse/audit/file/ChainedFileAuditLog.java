package dev.gatehouse.audit.file;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.audit.AuditLogUnavailableException;
import dev.gatehouse.audit.SystemEvents;
import dev.gatehouse.audit.checkpoint.Checkpoint;
import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.checkpoint.PublicKeys;
import dev.gatehouse.audit.checkpoint.SigningKey;

/**
 * The audit log as JSON-lines segment files with group commit, every event a leaf of an RFC 6962 Merkle tree
 * whose root is signed in checkpoints ({@code checkpoints.jsonl}, Ed25519 keys in {@code keys/}). {@link #append} never blocks: it queues the event
 * (failing at once when the queue is full or the log is not writable) and the writer thread completes the
 * future after the event's batch is forced to the device. Futures complete on the writer thread; callers on a
 * Vert.x event loop hop back with {@code Future.fromCompletionStage(future, context)} and must not block in
 * their callbacks.
 */
public final class ChainedFileAuditLog implements AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(ChainedFileAuditLog.class);

    private final FileAuditLogConfig config;
    private final BlockingQueue<PendingAppend> queue;
    private final GroupCommitWriter writer;
    private final Thread thread;
    private volatile boolean closed;

    private ChainedFileAuditLog(FileAuditLogConfig config, SegmentOpener opener) {
        this.config = config;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.writer = new GroupCommitWriter(config, opener, queue);
        this.thread = Thread.ofPlatform().name("audit-log-writer").daemon(false).unstarted(writer);
    }

    /**
     * Opens (or creates) the log in {@code config.directory()}, cutting a torn tail left by a crash and recording
     * that as an event. A directory that cannot be written does not fail here: the log starts not writable,
     * says why in {@link #health()}, and becomes writable when the directory does.
     */
    public static ChainedFileAuditLog open(FileAuditLogConfig config) {
        return open(config, SegmentOpener.FILES);
    }

    static ChainedFileAuditLog open(FileAuditLogConfig config, SegmentOpener opener) {
        ChainedFileAuditLog log = new ChainedFileAuditLog(config, opener);
        log.writer.start();
        log.thread.start();
        TailRecovery.Result cut = log.writer.takeRecovery();
        if (cut != null) {
            log.append(SystemEvents.tornTailCut(cut.quarantine().getFileName().toString().replaceAll("\\.torn-.*", ""),
                    cut.nextSeq(), cut.cutBytes(), cut.quarantine().getFileName().toString()));
        }
        return log;
    }

    @Override
    public CompletableFuture<Long> append(AuditEvent event) {
        if (closed) {
            return CompletableFuture.failedFuture(new AuditLogUnavailableException("audit log is closed"));
        }
        AuditHealth health = writer.health();
        if (!health.writable()) {
            return CompletableFuture.failedFuture(new AuditLogUnavailableException(health.problem()));
        }
        SequencedLine line;
        try {
            line = SequencedLine.of(event);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        PendingAppend pending = new PendingAppend(line, new CompletableFuture<>());
        if (!queue.offer(pending)) {
            return CompletableFuture.failedFuture(new AuditLogUnavailableException(
                    "audit log queue is full (" + (queue.size() + queue.remainingCapacity()) + " events waiting)"));
        }
        if (closed && queue.remove(pending)) {
            pending.future().completeExceptionally(new AuditLogUnavailableException("audit log is closed"));
        }
        return pending.future();
    }

    @Override
    public AuditHealth health() {
        return closed ? AuditHealth.failing("audit log is closed") : writer.health();
    }

    /** How many events are durable (the position the next one gets). */
    public long size() {
        return writer.size();
    }

    /** The directory the log writes to. */
    public Path directory() {
        return config.directory();
    }

    /** The last signed checkpoint, or null before the first. */
    public Checkpoint lastCheckpoint() {
        return writer.lastCheckpoint();
    }

    /**
     * Replaces the checkpoint signing key: a new key is generated, the event {@code describe} makes of the rotation
     * is made durable, and only then is the key stored as the active one (its public half published beside the
     * old ones, which stay for verification; the retired private half deleted) and used for every later
     * checkpoint. One rotation at a time; blocks until done.
     */
    @Override
    public synchronized KeyRotation rotateKey(Function<KeyRotation, AuditEvent> describe) throws IOException {
        Checkpointer checkpointer = checkpointer();
        if (closed || checkpointer == null) {
            throw new AuditLogUnavailableException(health().problem());
        }
        SigningKey key = SigningKey.generate();
        KeyRotation rotation = new KeyRotation(checkpointer.signer().keyId(), key.keyId(),
                PublicKeys.toPem(key.publicKey()));
        await(append(describe.apply(rotation)));
        try {
            KeyDirectory.in(config.directory()).activate(key);
        } catch (IOException | RuntimeException e) {
            append(SystemEvents.of("rotate-failed", "auditkeys", key.keyId(),
                    "the rotation recorded before could not store the new key; the previous key signs on: " + e,
                    Map.of("previousKeyId", rotation.previousKeyId(), "keyId", key.keyId())));
            throw new IOException("the rotation to key " + key.keyId() + " is recorded, but the key could not be "
                    + "stored (" + e.getMessage() + "); key " + rotation.previousKeyId() + " still signs", e);
        }
        Checkpointer now = checkpointer(); // null while failing: reopening reads the new active key from disk
        if (now != null) {
            now.signer().use(key);
        }
        return rotation;
    }

    private static void await(CompletableFuture<Long> appended) throws IOException {
        try {
            appended.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuditLogUnavailableException unavailable) {
                throw unavailable;
            }
            throw new AuditLogUnavailableException("the rotation could not be recorded: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AuditLogUnavailableException("the rotation was not durable within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while recording the rotation", e);
        }
    }

    /** The live log's checkpointer, or null while the log is not writable. */
    Checkpointer checkpointer() {
        return writer.checkpointer();
    }

    /** Events queued and not yet durable. */
    public int pending() {
        return queue.size();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(PendingAppend.CLOSE);
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("audit log: interrupted while closing; events still queued fail");
        }
        List<PendingAppend> left = new ArrayList<>();
        queue.drainTo(left);
        for (PendingAppend p : left) {
            if (p.future() != null) {
                p.future().completeExceptionally(new AuditLogUnavailableException("audit log is closed"));
            }
        }
    }
}
