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
     * Opens (or creates) the log in {@code config.directory()}. After an unclean stop it cuts a torn tail and
     * records what it recovered as a system event (verb {@code recover}: the previous holder, the log's end, the
     * events no checkpoint covered and how they compare with their recorded leaf hashes, what was cut), and waits
     * (up to {@link #RECOVERY_SIGNING_WAIT}) until a checkpoint covers that event. A directory that cannot be
     * written does not fail here: the log starts not writable, says why in {@link #health()}, and becomes
     * writable when the directory does. A directory another process (or this one) has open is refused.
     *
     * @throws LogDirectoryInUseException when another process holds the directory's lock: nothing is opened
     */
    public static ChainedFileAuditLog open(FileAuditLogConfig config) {
        return open(config, SegmentOpener.FILES);
    }

    /** How long {@link #open} waits for the checkpoint that signs its recovery event. */
    static final java.time.Duration RECOVERY_SIGNING_WAIT = java.time.Duration.ofSeconds(10);

    static ChainedFileAuditLog open(FileAuditLogConfig config, SegmentOpener opener) {
        ChainedFileAuditLog log = new ChainedFileAuditLog(config, opener);
        log.writer.start();
        log.thread.start();
        GroupCommitWriter.Recovered recovered = log.writer.takeRecovery();
        if (recovered != null) {
            log.recordRecovery(recovered);
        }
        return log;
    }

    /**
     * Throws {@link LogDirectoryInUseException} naming the holder when another process has the log in
     * {@code directory} open: lets a command refuse before it starts anything else. Opening is what counts.
     */
    public static void checkNotInUse(Path directory) throws IOException {
        WriterLock.checkFree(directory);
    }

    private void recordRecovery(GroupCommitWriter.Recovered recovered) {
        AuditEvent event = RecoveryEvent.of(recovered);
        LOG.warn("audit log: {}", event.gatehouse().reason());
        Checkpointer checkpointer = checkpointer();
        if (checkpointer != null) {
            checkpointer.signNextAtOnce();
        }
        try {
            long position = append(event).get(RECOVERY_SIGNING_WAIT.toSeconds(), TimeUnit.SECONDS);
            long deadline = System.nanoTime() + RECOVERY_SIGNING_WAIT.toNanos();
            while (System.nanoTime() < deadline && health().writable()
                    && (lastCheckpoint() == null || lastCheckpoint().treeSize() <= position)) {
                Thread.sleep(1);
            }
            if (lastCheckpoint() == null || lastCheckpoint().treeSize() <= position) {
                LOG.error("audit log: the recovery event at position {} is not signed yet: {}", position,
                        health().problem());
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("audit log: the recovery could not be recorded: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    /**
     * The signing bound as measured: the longest and the latest time from a commit until the checkpoint that
     * first covered it was durable, and how many checkpoints were signed, since the log was (re)opened.
     */
    public SigningLag signingLag() {
        Checkpointer.Lag lag = writer.signingLag();
        return new SigningLag(java.time.Duration.ofNanos(lag.maxNanos()), java.time.Duration.ofNanos(lag.lastNanos()),
                lag.checkpoints());
    }

    /** See {@link #signingLag()}. */
    public record SigningLag(java.time.Duration max, java.time.Duration last, long checkpoints) {
    }

    /** The id of the key that signs this log's checkpoints now, or null when the log is not signed. */
    public String signingKeyId() {
        Checkpointer checkpointer = checkpointer();
        return checkpointer == null ? null : checkpointer.signer().keyId();
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
