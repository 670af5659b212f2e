package dev.gatehouse.audit.verify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import dev.gatehouse.audit.checkpoint.Checkpoint;
import dev.gatehouse.audit.file.Segment;
import dev.gatehouse.audit.merkle.MerkleFrontier;

/**
 * Where verification of a directory begins. A log that still holds position 0 starts from the empty tree; one
 * whose oldest segments were deleted past retention (or an archive that starts later) starts from the trusted
 * checkpoint signed when its first remaining segment was begun, whose saved frontier reproduces the signed root.
 */
final class LogStart {
    private LogStart() {
    }

    /** The frontier to start from, or null when no trusted checkpoint sits at the first remaining position. */
    static MerkleFrontier frontier(Path directory, List<Checkpoint> trusted) throws IOException {
        List<Segment> segments = Segment.list(directory);
        long first = segments.isEmpty() ? 0 : segments.getFirst().firstSeq();
        if (first == 0) {
            return MerkleFrontier.empty();
        }
        for (Checkpoint cp : trusted) {
            if (cp.treeSize() == first) {
                MerkleFrontier f = cp.restoreFrontier();
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }

    static long firstPosition(Path directory) throws IOException {
        List<Segment> segments = Segment.list(directory);
        return segments.isEmpty() ? 0 : segments.getFirst().firstSeq();
    }
}
