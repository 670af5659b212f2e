package dev.gatehouse.audit.file;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.audit.checkpoint.Checkpoint;
import dev.gatehouse.audit.checkpoint.CheckpointLog;
import dev.gatehouse.audit.checkpoint.CheckpointSigner;
import dev.gatehouse.audit.merkle.MerkleFrontier;

/**
 * Decides when the writer signs a checkpoint, writes out the leaf sidecar first (forcing it when the segment is
 * sealed), then signs and appends it.
 * <p>
 * The signing bound: every commit is followed by a checkpoint as soon as the checkpoint thread is free and at
 * least {@code spacing} has passed since the last one started ({@link #due}); while one is being written, the
 * commits meanwhile coalesce into the next, which covers everything durable when it is handed over. So an event
 * is covered by a signed checkpoint at most {@code spacing} plus two checkpoint writes after its commit (the one
 * in flight, then its own), whatever the rate; {@link #lag()} measures it. Also on sealing a segment and on close.
 * <p>
 * Forcing the leaves written since the last checkpoint and appending the checkpoint take one or two journal
 * commits (measured: 13-56 ms on this kind of disk), so these checkpoints run on a thread of their
 * own ({@link #checkpointLater}) and commits never wait for them. A checkpoint only ever covers events that are
 * already durable (the writer hands over a copy of the frontier after the commit), so a crash before it is
 * written only means recovery resumes from an earlier one. They run one at a time, in order; a failure is handed
 * back to the writer ({@link #takeFailure()}), which then fails closed as for any write error. The closing
 * checkpoint is written synchronously ({@link #checkpoint}), after the pending one.
 */
final class Checkpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    private final CheckpointSigner signer;
    private final CheckpointLog checkpoints;
    private final long spacingNanos;
    private volatile long lastSize;
    private volatile long lastNanos;
    /** Writer thread: when the oldest commit not yet handed to a checkpoint was made (0: none). */
    private long oldestUncoveredNanos;
    private volatile long maxLagNanos;
    private volatile long lastLagNanos;
    private volatile long signed;
    private volatile boolean atOnce;
    private volatile Checkpoint last;
    private volatile Throwable failure;
    private ExecutorService executor;
    private CompletableFuture<Void> pending = CompletableFuture.completedFuture(null);

    Checkpointer(CheckpointSigner signer, CheckpointLog checkpoints, Checkpoint last, Duration spacing) {
        this.signer = signer;
        this.checkpoints = checkpoints;
        this.last = last;
        this.lastSize = last == null ? -1 : last.treeSize();
        this.spacingNanos = spacing.toNanos();
        this.lastNanos = System.nanoTime() - spacingNanos;
    }

    /**
     * How long commits waited for their signature: the longest and the latest time from a commit to the end of
     * the checkpoint that first covered it, and how many checkpoints were signed, since the log was opened.
     */
    record Lag(long maxNanos, long lastNanos, long checkpoints) {
    }

    Lag lag() {
        return new Lag(maxLagNanos, lastLagNanos, signed);
    }

    /** Writer thread: a batch was committed at {@code nanos}; it waits for the next checkpoint handed over. */
    void committed(long nanos) {
        if (oldestUncoveredNanos == 0) {
            oldestUncoveredNanos = nanos;
        }
    }

    /**
     * Whether durable events are not yet covered by a checkpoint (written or being written), or the key was rotated
     * since the last one: the new key then signs the same size at once (a verifier skips the repeated size).
     */
    boolean owed(MerkleFrontier frontier) {
        return frontier != null && (frontier.size() != lastSize || keyChanged());
    }

    private boolean keyChanged() {
        Checkpoint l = last;
        return l != null && !l.keyId().equals(signer.keyId());
    }

    CheckpointSigner signer() {
        return signer;
    }

    Checkpoint last() {
        return last;
    }

    /**
     * Whether a checkpoint is due: the log grew (or the key was rotated) since the last one, none is being written,
     * and the spacing since the last one started has passed (or {@link #signNextAtOnce()} asked for it).
     */
    boolean due(MerkleFrontier frontier) {
        return (frontier.size() != lastSize || keyChanged()) && pending.isDone()
                && (atOnce || System.nanoTime() - lastNanos >= spacingNanos);
    }

    /** The next checkpoint is due as soon as the thread is free, whatever the spacing (for a recovery event). */
    void signNextAtOnce() {
        atOnce = true;
    }

    /**
     * Writer thread: checkpoints a copy of {@code frontier} on the checkpoint thread. With {@code sealed},
     * {@code leaves} is the sealed segment's sidecar, which the writer no longer touches; it is forced and closed
     * there. Otherwise the writer keeps appending to it, so its buffered hashes are written out (not forced) here.
     */
    void checkpointLater(MerkleFrontier frontier, LeafSidecar leaves, boolean sealed) throws IOException {
        if (!sealed) {
            leaves.flush();
        }
        MerkleFrontier copy = frontier.copy();
        long since = oldestUncoveredNanos;
        oldestUncoveredNanos = 0;
        if (!sealed) { // a sealing checkpoint is not a turn of the spacing: the next one may follow it at once
            lastNanos = System.nanoTime();
            atOnce = false;
        }
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(
                    Thread.ofPlatform().name("audit-log-checkpoint").daemon(true).factory());
        }
        pending = pending.thenRunAsync(() -> {
            try {
                if (sealed) {
                    leaves.close(); // forced: a sealed segment's sidecar is never rewritten
                }
                // the live segment's sidecar is written (above, by the writer) but not forced: every open rebuilds
                // it from the segment's events, so forcing it before each checkpoint would buy nothing
                if (write(copy, sealed) != null) {
                    measured(since);
                }
            } catch (IOException | RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
                LOG.error("audit log: writing a checkpoint at {} failed: {}", copy.size(), e.toString());
            }
        }, executor);
    }

    /** A background checkpoint's failure, once; null when there was none. */
    Throwable takeFailure() {
        Throwable f = failure;
        failure = null;
        return f;
    }

    /**
     * Signs {@code frontier} now, after any pending checkpoint, unless the last checkpoint already covers it.
     * {@code saveFrontier} keeps the frontier in the checkpoint (on sealing and closing: where a restart or a
     * pruned directory resumes); interval checkpoints leave it out to stay small.
     */
    Checkpoint checkpoint(MerkleFrontier frontier, LeafSidecar leaves, boolean saveFrontier) throws IOException {
        awaitPending();
        Throwable f = takeFailure();
        if (f != null) {
            throw f instanceof IOException io ? io : new IOException(f);
        }
        if (!covered(frontier, saveFrontier)) {
            leaves.force();
        }
        long since = oldestUncoveredNanos;
        oldestUncoveredNanos = 0;
        Checkpoint cp = write(frontier, saveFrontier);
        if (cp != null) {
            measured(since);
        }
        return cp;
    }

    private void measured(long since) {
        signed++;
        if (since != 0) {
            long lag = System.nanoTime() - since;
            lastLagNanos = lag;
            if (lag > maxLagNanos) {
                maxLagNanos = lag;
            }
        }
    }

    private boolean covered(MerkleFrontier frontier, boolean saveFrontier) {
        return frontier.size() == lastSize && !(saveFrontier && last != null && last.frontier() == null)
                && !keyChanged();
    }

    private Checkpoint write(MerkleFrontier frontier, boolean saveFrontier) throws IOException {
        if (covered(frontier, saveFrontier)) {
            return null;
        }
        Checkpoint cp = signer.sign(frontier, Instant.now(), saveFrontier);
        checkpoints.append(cp);
        lastSize = frontier.size();
        last = cp;
        return cp;
    }

    /** Waits for the checkpoints handed to the checkpoint thread (they are never interrupted: see Preallocator). */
    void awaitPending() {
        try {
            pending.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.error("audit log: a checkpoint did not finish: {}", e.toString());
        }
    }

    /** Lets the pending checkpoint finish, stops the thread and closes the checkpoint file. */
    @Override
    public void close() throws IOException {
        awaitPending();
        if (executor != null) {
            executor.shutdown();
        }
        checkpoints.close();
    }
}
