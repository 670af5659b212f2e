package dev.gatehouse.audit.file;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import dev.gatehouse.audit.checkpoint.Checkpoint;
import dev.gatehouse.audit.checkpoint.CheckpointLog;
import dev.gatehouse.audit.checkpoint.CheckpointSigner;
import dev.gatehouse.audit.merkle.MerkleFrontier;

/**
 * Decides when the writer signs a checkpoint (the interval has passed and the log grew; or a segment is sealed;
 * or the log closes), makes the leaf sidecar durable first, then signs and appends the checkpoint.
 */
final class Checkpointer implements AutoCloseable {
    private final CheckpointSigner signer;
    private final CheckpointLog checkpoints;
    private final long intervalNanos;
    private long lastSize;
    private long lastNanos = System.nanoTime();
    private volatile Checkpoint last;

    Checkpointer(CheckpointSigner signer, CheckpointLog checkpoints, Checkpoint last, Duration interval) {
        this.signer = signer;
        this.checkpoints = checkpoints;
        this.last = last;
        this.lastSize = last == null ? -1 : last.treeSize();
        this.intervalNanos = interval.toNanos();
    }

    CheckpointSigner signer() {
        return signer;
    }

    Checkpoint last() {
        return last;
    }

    boolean due(MerkleFrontier frontier) {
        return frontier.size() != lastSize && System.nanoTime() - lastNanos >= intervalNanos;
    }

    /**
     * Signs {@code frontier} unless the last checkpoint already covers it. {@code saveFrontier} keeps the frontier
     * in the checkpoint (on sealing and closing: where a restart or a pruned directory resumes); periodic
     * checkpoints leave it out to stay small.
     */
    Checkpoint checkpoint(MerkleFrontier frontier, LeafSidecar leaves, boolean saveFrontier) throws IOException {
        if (frontier.size() == lastSize && !(saveFrontier && last != null && last.frontier() == null)) {
            return null;
        }
        leaves.force();
        Checkpoint cp = signer.sign(frontier, Instant.now(), saveFrontier);
        checkpoints.append(cp);
        lastSize = frontier.size();
        lastNanos = System.nanoTime();
        last = cp;
        return cp;
    }

    @Override
    public void close() throws IOException {
        checkpoints.close();
    }
}
