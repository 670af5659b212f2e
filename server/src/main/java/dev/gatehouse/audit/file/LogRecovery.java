package dev.gatehouse.audit.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
                  TailRecovery.Result recovery, UnsignedTail unsigned) {
    }

    /**
     * The events no checkpoint covered when the log was opened (positions {@code from} .. {@code end - 1}) and how
     * they compare with the leaf hashes the writer recorded in the sidecars before the stop: matched, missing
     * (never written out, so unverifiable) and the positions whose event differs from its recorded hash.
     */
    record UnsignedTail(long from, long end, long matched, long missing, List<Long> differing) {
        static final int MAX_DIFFERING = 20;

        long count() {
            return end - from;
        }
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
        long signedSize = checkpoint == null ? 0 : checkpoint.treeSize();
        TailHash hashed = hashTail(dir, frontier, last.firstSeq(), end, signedSize);
        List<byte[]> lastLeaves = hashed.lastLeaves();

        ActiveSegment active = ActiveSegment.open(opener, last, recovery.size(), config.segmentBytes());
        LeafSidecar leaves = LeafSidecar.rewrite(last, lastLeaves);
        Checkpointer checkpointer = new Checkpointer(signer, CheckpointLog.open(dir), checkpoint,
                config.checkpointInterval());
        LOG.info("audit log: {} events in {} segments, signing with key {}", end, Math.max(segments.size(), 1),
                signer.keyId());
        return new Opened(active, leaves, frontier, checkpointer, recovery, hashed.unsigned());
    }

    private record TailHash(List<byte[]> lastLeaves, UnsignedTail unsigned) {
    }

    /**
     * Extends {@code frontier} to {@code end}; returns the leaves of the last segment (from {@code lastFirst}) and
     * how the events from {@code signedSize} on compare with the leaf hashes recorded in their sidecars (read
     * before the last sidecar is rewritten from the events).
     */
    private static TailHash hashTail(Path dir, MerkleFrontier frontier, long lastFirst, long end, long signedSize)
            throws IOException {
        long resume = frontier.size();
        List<byte[]> lastLeaves = new ArrayList<>();
        long expected = Math.min(Math.min(resume, lastFirst), signedSize);
        long matched = 0;
        long missing = 0;
        List<Long> differing = new ArrayList<>();
        Segment sidecarOf = null;
        List<byte[]> recorded = List.of();
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
                if (expected >= signedSize) {
                    if (!line.segment().equals(sidecarOf)) {
                        sidecarOf = line.segment();
                        recorded = LeafSidecar.read(sidecarOf);
                    }
                    long index = expected - sidecarOf.firstSeq();
                    byte[] r = index < recorded.size() ? recorded.get((int) index) : null;
                    if (r == null || Arrays.equals(r, new byte[r.length])) {
                        missing++;
                    } else if (Arrays.equals(r, leaf)) {
                        matched++;
                    } else if (differing.size() < UnsignedTail.MAX_DIFFERING) {
                        differing.add(expected);
                    }
                }
                expected++;
            }
        }
        if (expected != end) {
            throw new IOException("the log ends at position " + expected + ", expected " + end
                    + "; run 'gatehouse audit verify'");
        }
        if (!differing.isEmpty()) {
            LOG.error("audit log: unsigned events at positions {} differ from the leaf hashes recorded when they were "
                    + "written: they (or their .leaves file) were changed while the log was closed", differing);
        }
        return new TailHash(lastLeaves, new UnsignedTail(Math.min(signedSize, end), end, matched, missing,
                List.copyOf(differing)));
    }
}
