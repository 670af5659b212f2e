package dev.gatehouse.audit.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.audit.checkpoint.Checkpoint;
import dev.gatehouse.audit.checkpoint.CheckpointLog;
import dev.gatehouse.audit.checkpoint.CheckpointSigner;
import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.merkle.MerkleFrontier;
import dev.gatehouse.audit.merkle.MerkleHash;

/**
 * Opens a log directory for writing, after a clean stop or a crash: loads (or generates) the signing key, cuts
 * a torn tail, resumes the Merkle frontier from the last checkpoint and hashes only the events after it, and
 * rebuilds the last segment's leaf sidecar. A log whose positions are not continuous is refused: the writer
 * stays not writable and says to run {@code gatehouse audit verify}.
 */
final class LogRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);

    /** The state the writer continues from. */
    record Opened(ActiveSegment active, LeafSidecar leaves, MerkleFrontier frontier, Checkpointer checkpointer,
                  TailRecovery.Result recovery) {
    }

    private LogRecovery() {
    }

    static Opened open(FileAuditLogConfig config, SegmentOpener opener) throws IOException {
        Path dir = config.directory();
        Files.createDirectories(dir);
        CheckpointSigner signer = new CheckpointSigner(KeyDirectory.in(dir).activeOrGenerate());
        List<Segment> segments = Segment.list(dir);
        Segment last = segments.isEmpty() ? Segment.in(dir, 0) : segments.getLast();
        TailRecovery.Result recovery = segments.isEmpty()
                ? new TailRecovery.Result(0, 0, 0, null) : TailRecovery.recover(last);
        long end = recovery.nextSeq();

        Checkpoint checkpoint = CheckpointLog.last(dir);
        if (checkpoint != null && checkpoint.treeSize() > end) {
            LOG.error("audit log: the last checkpoint covers {} events but the log holds {}; events are missing. "
                    + "Run 'gatehouse audit verify {}'", checkpoint.treeSize(), end, dir);
            throw new IOException("the last checkpoint covers " + checkpoint.treeSize() + " events but the log holds "
                    + end + "; run 'gatehouse audit verify'");
        }
        Checkpoint resumable = CheckpointLog.lastWithFrontier(dir);
        MerkleFrontier frontier = resumable == null ? null : resumable.restoreFrontier();
        if (frontier != null && frontier.size() > end) {
            frontier = null;
        }
        if (frontier == null) {
            frontier = MerkleFrontier.empty();
        }
        List<byte[]> lastLeaves = hashTail(dir, frontier, last.firstSeq(), end);

        ActiveSegment active = ActiveSegment.open(opener, last, recovery.size(), config.segmentBytes());
        LeafSidecar leaves = LeafSidecar.rewrite(last, lastLeaves);
        Checkpointer checkpointer = new Checkpointer(signer, CheckpointLog.open(dir), checkpoint,
                config.checkpointInterval());
        LOG.info("audit log: {} events in {} segments, signing with key {}", end, Math.max(segments.size(), 1),
                signer.keyId());
        return new Opened(active, leaves, frontier, checkpointer, recovery);
    }

    /** Extends {@code frontier} to {@code end}; returns the leaves of the last segment (from {@code lastFirst}). */
    private static List<byte[]> hashTail(Path dir, MerkleFrontier frontier, long lastFirst, long end)
            throws IOException {
        long resume = frontier.size();
        List<byte[]> lastLeaves = new ArrayList<>();
        long expected = Math.min(resume, lastFirst);
        try (AuditLogReader reader = AuditLogReader.from(dir, expected)) {
            while (reader.hasNext() && expected < end) {
                AuditLogReader.LogLine line = reader.next();
                if (line.position() != expected) {
                    throw new IOException("position " + expected + " is missing (found " + line.position() + " in "
                            + line.segment().path().getFileName() + "); run 'gatehouse audit verify'");
                }
                byte[] leaf = MerkleHash.leaf(line.bytes());
                if (expected >= resume) {
                    frontier.append(leaf);
                }
                if (expected >= lastFirst) {
                    lastLeaves.add(leaf);
                }
                expected++;
            }
        }
        if (expected != end) {
            throw new IOException("the log ends at position " + expected + ", expected " + end
                    + "; run 'gatehouse audit verify'");
        }
        return lastLeaves;
    }
}
