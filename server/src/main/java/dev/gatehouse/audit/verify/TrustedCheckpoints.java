package dev.gatehouse.audit.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.gatehouse.audit.checkpoint.Checkpoint;
import dev.gatehouse.audit.checkpoint.PublicKeys;

/**
 * Sorts a log's checkpoints into those a verifier may rely on (signed by a trusted key, in order, consistent
 * with each other) and findings for the rest.
 */
final class TrustedCheckpoints {
    private TrustedCheckpoints() {
    }

    /** The trusted checkpoints in file order; adds a finding for each one that is not. */
    static List<Checkpoint> select(List<Checkpoint> all, PublicKeys keys, List<Finding> findings) {
        List<Checkpoint> trusted = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Checkpoint cp = all.get(i);
            String which = "checkpoint " + (i + 1) + " of " + all.size();
            if (cp == null) {
                findings.add(new Finding(-1, Finding.Kind.BAD_CHECKPOINT, which + " is not a checkpoint"));
                continue;
            }
            which += " (size " + cp.treeSize() + ", key " + cp.keyId() + ")";
            if (!keys.verifies(cp)) {
                findings.add(new Finding(cp.treeSize(), Finding.Kind.BAD_CHECKPOINT, which
                        + " has a signature no trusted key verifies: forged, altered, or signed by an unknown key"
                        + " (trusted: " + String.join(", ", keys.ids()) + ")"));
                continue;
            }
            Checkpoint previous = trusted.isEmpty() ? null : trusted.getLast();
            if (previous != null && cp.treeSize() < previous.treeSize()) {
                findings.add(new Finding(cp.treeSize(), Finding.Kind.BAD_CHECKPOINT, which
                        + " is smaller than the checkpoint before it (size " + previous.treeSize() + ")"));
                continue;
            }
            if (previous != null && cp.treeSize() == previous.treeSize()) {
                if (!Arrays.equals(cp.root(), previous.root())) {
                    findings.add(new Finding(cp.treeSize(), Finding.Kind.BAD_CHECKPOINT, which
                            + " signs a different root for the same size as the checkpoint before it"));
                }
                continue;
            }
            trusted.add(cp);
        }
        return trusted;
    }
}
