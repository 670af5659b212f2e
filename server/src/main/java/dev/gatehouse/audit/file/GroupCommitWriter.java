package dev.gatehouse.audit.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.audit.AuditLog.AuditHealth;
import dev.gatehouse.audit.AuditLogUnavailableException;
import dev.gatehouse.audit.checkpoint.Checkpoint;
import dev.gatehouse.audit.merkle.MerkleFrontier;
import dev.gatehouse.audit.merkle.MerkleHash;

/**
 * The log's only writer, on its own thread: takes whatever is queued (up to a batch), gives each event the next
 * position, writes the batch through to the device in one write, and only then completes the batch's futures.
 * Each event becomes a Merkle leaf; after every commit a checkpoint is signed as soon as the checkpoint thread is
 * free (coalescing the commits made meanwhile, see {@link Checkpointer}), when a segment is sealed, and on close. On an I/O error it fails the batch and everything
 * queued, reports the log not writable, and probes until writing works again.
 */
final class GroupCommitWriter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** How often an idle writer looks whether the checkpoint thread is free for events it has not signed. */
    private static final long OWED_POLL_MILLIS = 2;

    private final FileAuditLogConfig config;
    private final SegmentOpener opener;
    private final BlockingQueue<PendingAppend> queue;
    private final List<PendingAppend> batch = new ArrayList<>();
    private volatile AuditHealth health = AuditHealth.failing("audit log is opening");
    private volatile long durableSize;
    private ActiveSegment active;
    private LeafSidecar leaves;
    private MerkleFrontier frontier;
    private Checkpointer checkpointer;
    private long nextSeq;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private ByteBuffer leafBuffer = ByteBuffer.allocate(MerkleHash.SIZE * 1024);
    private TailRecovery.Result recovery;
    private LogRecovery.UnsignedTail unsignedAtOpen;
    private boolean closedCleanly;
    private WriterLock lock;
    private final java.security.MessageDigest leafDigest = sha256();
    private final Preallocator preallocator = new Preallocator();

    GroupCommitWriter(FileAuditLogConfig config, SegmentOpener opener, BlockingQueue<PendingAppend> queue) {
        this.config = config;
        this.opener = opener;
        this.queue = queue;
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    AuditHealth health() {
        return health;
    }

    /** Events durable so far (the next position). */
    long size() {
        return durableSize;
    }

    /** The last checkpoint written, or null. */
    Checkpoint lastCheckpoint() {
        Checkpointer c = checkpointer;
        return c == null ? null : c.last();
    }

    Checkpointer checkpointer() {
        return checkpointer;
    }

    /** The signing lag measured since the log was (re)opened; zeros while not writable. */
    Checkpointer.Lag signingLag() {
        Checkpointer c = checkpointer;
        return c == null ? new Checkpointer.Lag(0, 0, 0) : c.lag();
    }

    /** Opens the log on the caller's thread; when it cannot, the log starts not writable and probes. */
    void start() {
        try {
            openLog();
            health = AuditHealth.ok();
        } catch (LogDirectoryInUseException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            markFailing(e);
        }
    }

    /**
     * What the first open recovered after an unclean stop (the previous holder of the lock did not close the log,
     * a torn tail was cut, or events were not covered by a checkpoint), once; null after a clean stop.
     */
    Recovered takeRecovery() {
        TailRecovery.Result cut = recovery != null && recovery.cutBytes() > 0 ? recovery : null;
        LogRecovery.UnsignedTail tail = unsignedAtOpen;
        String previous = lock == null ? null : lock.previousHolder();
        recovery = null;
        unsignedAtOpen = null;
        if (cut == null && previous == null && (tail == null || tail.count() == 0)) {
            return null;
        }
        return new Recovered(previous, cut, tail);
    }

    /** See {@link #takeRecovery()}; {@code previousHolder} is null when the lock file was empty (a clean close). */
    record Recovered(String previousHolder, TailRecovery.Result cut, LogRecovery.UnsignedTail unsigned) {
    }

    @Override
    public void run() {
        long idleMillis = Math.max(1, config.probeInterval().toMillis());
        boolean closing = false;
        while (!closing) {
            PendingAppend first;
            try {
                // while committed events wait for their checkpoint, come back soon to hand them over
                boolean owed = health.writable() && checkpointer != null && checkpointer.owed(frontier);
                first = queue.poll(owed ? OWED_POLL_MILLIS : idleMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (first == null) {
                idle();
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, config.maxBatch() - 1);
            closing = batch.remove(PendingAppend.CLOSE);
            if (!batch.isEmpty()) {
                writeBatch();
            }
            batch.clear();
        }
        closeLog();
    }

    private void idle() {
        if (!health.writable()) {
            probe();
        } else if (!checkpointFailed() && checkpointer.due(frontier)) {
            afterCommit(false);
        }
    }

    /** Whether a background checkpoint failed; then the log fails as for any write error. */
    private boolean checkpointFailed() {
        Throwable failure = checkpointer.takeFailure();
        if (failure != null) {
            fail(failure);
            return true;
        }
        return false;
    }

    private void writeBatch() {
        if (!health.writable() && !probe()) {
            failAll(batch, health.problem(), null);
            return;
        }
        if (checkpointFailed()) {
            return;
        }
        try {
            if (active.committedSize() >= config.segmentBytes()) {
                rotate();
            }
            long first = nextSeq;
            long seq = encode(first);
            active.writeDurably(buffer);
            nextSeq = seq;
            durableSize = seq;
        } catch (IOException | RuntimeException e) {
            fail(e);
            return;
        }
        complete();
        preallocator.request(active);
        afterCommit(true);
    }

    /** Records the committed batch's leaves and starts a checkpoint when one is due (it runs on its own thread). */
    private void afterCommit(boolean batchWritten) {
        try {
            if (batchWritten) {
                leafBuffer.flip();
                leaves.append(leafBuffer);
                checkpointer.committed(System.nanoTime());
            }
            if (checkpointer.due(frontier)) {
                checkpointer.checkpointLater(frontier, leaves, false);
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** Writes the batch's lines into the buffer, numbering from {@code first}; returns the next free position. */
    private long encode(long first) {
        buffer.clear();
        leafBuffer.clear();
        long seq = first;
        for (PendingAppend p : batch) {
            byte[] digits = Long.toString(seq).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ensureRoom(p.line().length(digits) + 1);
            leafDigest.update((byte) 0);
            p.line().writeTo(buffer, digits, leafDigest);
            buffer.put((byte) '\n');
            byte[] leaf = leafDigest.digest();
            frontier.append(leaf);
            if (leafBuffer.remaining() < MerkleHash.SIZE) {
                leafBuffer = ByteBuffer.allocate(leafBuffer.capacity() * 2).put(leafBuffer.flip());
            }
            leafBuffer.put(leaf);
            seq++;
        }
        buffer.flip();
        return seq;
    }

    private void complete() {
        long seq = nextSeq - batch.size();
        for (PendingAppend p : batch) {
            p.future().complete(seq++);
        }
    }

    private void ensureRoom(int bytes) {
        if (buffer.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
    }

    /**
     * Seals the segment (its padding cut, durably) and starts the next. The sealing checkpoint, which forces and
     * closes the sealed segment's leaf sidecar, runs on the checkpoint thread: until it is written, recovery
     * resumes from the checkpoint before it and hashes across the sealed segment.
     */
    private void rotate() throws IOException {
        ActiveSegment sealed = active;
        active = null;
        sealed.close();
        checkpointer.checkpointLater(frontier, leaves, true);
        leaves = null;
        Segment next = Segment.in(config.directory(), nextSeq);
        leaves = LeafSidecar.rewrite(next, List.of());
        active = ActiveSegment.open(opener, next, 0, config.segmentBytes());
        preallocator.request(active);
        LOG.info("audit log: sealed {} at position {}, writing {}", sealed.segment().path().getFileName(), nextSeq,
                next.path().getFileName());
    }

    private void openLog() throws IOException {
        if (lock == null) {
            java.nio.file.Files.createDirectories(config.directory());
            lock = WriterLock.acquire(config.directory());
        }
        LogRecovery.Opened opened = LogRecovery.open(config, opener);
        active = opened.active();
        leaves = opened.leaves();
        frontier = opened.frontier();
        checkpointer = opened.checkpointer();
        recovery = opened.recovery();
        unsignedAtOpen = opened.unsigned();
        nextSeq = frontier.size();
        durableSize = nextSeq;
        preallocator.request(active);
    }

    /** Checks whether the log can be written again; on success it is writable. */
    private boolean probe() {
        try {
            probeWrite();
            closeQuietly();
            openLog();
            health = AuditHealth.ok();
            LOG.info("audit log: writable again at position {}", nextSeq);
            return true;
        } catch (IOException | RuntimeException e) {
            health = AuditHealth.failing(problem(e));
            return false;
        }
    }

    private void probeWrite() throws IOException {
        Files.createDirectories(config.directory());
        Path probe = config.directory().resolve(".probe");
        try (FileChannel ch = opener.open(probe)) {
            ByteBuffer bytes = ByteBuffer.allocate(4096);
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(false);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** Fails the batch and the queue, rolls back to the committed state; the frontier is rebuilt on reopen. */
    private void fail(Throwable e) {
        markFailing(e);
        if (active != null) {
            active.rollback();
            active.abandon();
            active = null;
        }
        frontier = null;
        closeQuietly();
        failAll(batch, health.problem(), e);
        List<PendingAppend> queued = new ArrayList<>();
        queue.drainTo(queued);
        if (queued.remove(PendingAppend.CLOSE)) {
            queue.add(PendingAppend.CLOSE);
        }
        failAll(queued, health.problem(), e);
    }

    private void markFailing(Throwable e) {
        boolean wasWritable = health.writable();
        health = AuditHealth.failing(problem(e));
        if (wasWritable) {
            LOG.error("audit log: not writable, refusing requests until it is: {}", health.problem());
        }
    }

    private String problem(Throwable e) {
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return "audit log " + config.directory() + " is not writable: " + what;
    }

    private static void failAll(List<PendingAppend> pending, String problem, Throwable cause) {
        for (int i = 0; i < pending.size(); i++) {
            PendingAppend p = pending.get(i);
            if (p != null && p.future() != null) {
                p.future().completeExceptionally(new AuditLogUnavailableException(problem, cause));
                pending.set(i, null);
            }
        }
    }

    private void closeLog() {
        preallocator.close();
        if (health.writable() && frontier != null) {
            try {
                checkpointer.checkpoint(frontier, leaves, true);
                closedCleanly = true;
            } catch (IOException | RuntimeException e) {
                LOG.error("audit log: the closing checkpoint failed: {}", e.toString());
            }
        }
        try {
            if (active != null) {
                active.close();
            }
        } catch (IOException e) {
            closedCleanly = false;
            LOG.error("audit log: closing {} failed: {}", active.segment().path().getFileName(), e.toString());
        }
        active = null;
        closeQuietly();
        if (lock != null) {
            try {
                lock.release(closedCleanly); // otherwise the next open records an unclean stop
            } catch (IOException e) {
                LOG.warn("audit log: releasing the writer lock failed: {}", e.toString());
            }
            lock = null;
        }
        health = AuditHealth.failing("audit log is closed");
    }

    /** Closes everything but keeps no state: the next probe reopens through recovery. */
    private void closeQuietly() {
        // the checkpointer first: closing it waits for a pending checkpoint, which may still be forcing the leaves
        for (AutoCloseable c : new AutoCloseable[] {checkpointer, leaves}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // reopened by recovery
                }
            }
        }
        leaves = null;
        checkpointer = null;
    }
}
