package dev.gatehouse.audit.verify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.checkpoint.Checkpoint;
import dev.gatehouse.audit.checkpoint.CheckpointLog;
import dev.gatehouse.audit.checkpoint.PublicKeys;
import dev.gatehouse.audit.file.AuditLogReader;
import dev.gatehouse.audit.file.LeafSidecar;
import dev.gatehouse.audit.file.Segment;
import dev.gatehouse.audit.merkle.MerkleFrontier;
import dev.gatehouse.audit.merkle.MerkleHash;

/**
 * Verifies a log directory against its checkpoints and the trusted public keys, in one pass over the events.
 * A line's position is its index in the log (segments in order); each line must be an event carrying that
 * position, and the Merkle root over the lines must equal every trusted checkpoint's root at its size.
 */
public final class LogVerifier {
    private final PublicKeys keys;

    public LogVerifier(PublicKeys keys) {
        this.keys = keys;
    }

    /** Verifies {@code directory}. */
    public VerificationReport verify(Path directory) throws IOException {
        List<Finding> findings = new ArrayList<>();
        List<Checkpoint> all = CheckpointLog.read(directory);
        List<Checkpoint> trusted = TrustedCheckpoints.select(all, keys, findings);
        MerkleFrontier start = LogStart.frontier(directory, trusted);
        if (start == null) {
            long first = LogStart.firstPosition(directory);
            findings.add(new Finding(0, Finding.Kind.MISSING, "the directory starts at position " + first
                    + " and no trusted checkpoint was signed at that position, so nothing in it can be verified"));
            return new VerificationReport(0, trusted.size(), -1, 0, -1, -1, 0, 0, findings, List.of(), List.of());
        }
        Run run = new Run(trusted, findings, start);
        try (AuditLogReader reader = AuditLogReader.open(directory)) {
            Segment segment = null;
            List<byte[]> sidecar = List.of();
            long indexInSegment = 0;
            while (reader.hasNext()) {
                AuditLogReader.LogLine line = reader.next();
                if (!line.segment().equals(segment)) {
                    segment = line.segment();
                    sidecar = LeafSidecar.read(segment);
                    indexInSegment = 0;
                }
                byte[] recorded = indexInSegment < sidecar.size() ? sidecar.get((int) indexInSegment) : null;
                run.line(line.bytes(), recorded);
                indexInSegment++;
            }
        }
        return run.finish();
    }

    /** The state of one pass. */
    private static final class Run {
        private final List<Checkpoint> checkpoints;
        private final List<Finding> findings;
        private final MerkleFrontier frontier;
        private final long startSize;
        private final LeafWindow window = new LeafWindow();
        private final Completeness completeness = new Completeness();
        private int nextCheckpoint;
        private long verifiedSize = -1;
        private long seqOffset;
        private boolean rootMismatch;

        Run(List<Checkpoint> checkpoints, List<Finding> findings, MerkleFrontier start) {
            this.checkpoints = checkpoints;
            this.findings = findings;
            this.frontier = start;
            this.startSize = start.size();
            window.matched(start.size(), start);
            while (nextCheckpoint < checkpoints.size()
                    && checkpoints.get(nextCheckpoint).treeSize() <= start.size()) {
                Checkpoint cp = checkpoints.get(nextCheckpoint++);
                if (cp.treeSize() == start.size()) {
                    compare(cp);
                }
            }
        }

        void line(byte[] bytes, byte[] recordedLeaf) {
            long position = frontier.size();
            checkEvent(position, bytes);
            byte[] leaf = MerkleHash.leaf(bytes);
            frontier.append(leaf);
            window.add(leaf, recordedLeaf);
            while (nextCheckpoint < checkpoints.size()
                    && checkpoints.get(nextCheckpoint).treeSize() == frontier.size()) {
                compare(checkpoints.get(nextCheckpoint++));
            }
        }

        private void checkEvent(long position, byte[] bytes) {
            AuditEvent event;
            try {
                event = AuditEventJson.fromBytes(bytes);
            } catch (IOException | RuntimeException e) {
                findings.add(new Finding(position, Finding.Kind.UNREADABLE, "the line is not an audit event"));
                return;
            }
            completeness.add(position, event);
            Long seq = event.gatehouse() == null ? null : event.gatehouse().seq();
            if (seq == null) {
                findings.add(new Finding(position, Finding.Kind.OUT_OF_PLACE, "the event has no gatehouse.seq"));
                return;
            }
            long offset = seq - position;
            if (offset == seqOffset) {
                return;
            }
            if (offset > seqOffset) {
                findings.add(new Finding(position, Finding.Kind.MISSING, "expected the event with seq "
                        + (position + seqOffset) + ", found seq " + seq + ": " + (offset - seqOffset)
                        + " event(s) deleted here"));
            } else {
                findings.add(new Finding(position, Finding.Kind.OUT_OF_PLACE, "expected the event with seq "
                        + (position + seqOffset) + ", found seq " + seq + " (inserted, duplicated or reordered)"));
            }
            seqOffset = offset;
        }

        private void compare(Checkpoint cp) {
            if (Arrays.equals(frontier.root(), cp.root())) {
                verifiedSize = cp.treeSize();
                if (!rootMismatch) {
                    window.matched(cp.treeSize(), frontier);
                }
                return;
            }
            if (rootMismatch) {
                return;
            }
            rootMismatch = true;
            byte[] sidecarRoot = window.recordedRoot();
            long at = sidecarRoot != null && Arrays.equals(sidecarRoot, cp.root()) ? window.firstDifference() : -1;
            if (at >= 0) {
                findings.add(new Finding(at, Finding.Kind.MODIFIED, "the event differs from the one checkpoint (size "
                        + cp.treeSize() + ", " + cp.time() + ") signed"));
            } else {
                findings.add(new Finding(window.start(), Finding.Kind.MODIFIED, "the events in positions "
                        + window.start() + ".." + (cp.treeSize() - 1) + " differ from what checkpoint (size "
                        + cp.treeSize() + ", " + cp.time() + ") signed; the first changed event is in that range"));
            }
        }

        VerificationReport finish() {
            long end = frontier.size();
            Checkpoint largest = null;
            while (nextCheckpoint < checkpoints.size()) {
                largest = checkpoints.get(nextCheckpoint++);
            }
            if (largest != null && largest.treeSize() > end) {
                findings.add(new Finding(end, Finding.Kind.TRUNCATED, "the log ends at position " + end
                        + " but a checkpoint (" + largest.time() + ") signed " + largest.treeSize()
                        + " events: positions " + end + ".." + (largest.treeSize() - 1) + " are missing"));
            }
            long unsignedFrom = Math.max(verifiedSize, startSize);
            long unsigned = end - unsignedFrom;
            long matched = 0;
            long unchecked = unsigned;
            if (unsigned > 0) {
                LeafWindow.TailCheck tail = window.check(unsignedFrom);
                if (tail != null) {
                    matched = tail.matched();
                    unchecked = tail.unchecked();
                    for (long at : tail.differing()) {
                        findings.add(new Finding(at, Finding.Kind.MODIFIED, "the event differs from the leaf hash "
                                + "recorded when it was written; no checkpoint signs it yet and the leaf file is not "
                                + "signed, so the event or its segment's .leaves file was changed"));
                    }
                }
            }
            return new VerificationReport(end - startSize, checkpoints.size(), verifiedSize, unsigned,
                    unsigned > 0 ? unsignedFrom : -1, unsigned > 0 ? end - 1 : -1, matched, unchecked, findings,
                    completeness.counts(), completeness.quietDays());
        }
    }
}
