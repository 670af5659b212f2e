package dev.gatehouse.audit.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import dev.gatehouse.audit.checkpoint.Checkpoint;
import dev.gatehouse.audit.checkpoint.CheckpointLog;
import dev.gatehouse.audit.checkpoint.PublicKeys;
import dev.gatehouse.audit.file.AuditLogReader;
import dev.gatehouse.audit.merkle.MerkleFrontier;
import dev.gatehouse.audit.merkle.MerkleHash;
import dev.gatehouse.audit.merkle.MerkleTree;

/**
 * Builds the inclusion proof of one event (found by its audit id) against the latest trusted checkpoint that
 * covers it. Leaves are rehashed from the events, so the proof never relies on the sidecar files.
 */
public final class InclusionProver {
    private final PublicKeys keys;

    public InclusionProver(PublicKeys keys) {
        this.keys = keys;
    }

    /** The proof for {@code auditId}; fails with a sentence when the event or a covering checkpoint is absent. */
    public InclusionProofDocument prove(Path directory, String auditId) throws IOException {
        List<Checkpoint> trusted = CheckpointLog.read(directory).stream()
                .filter(cp -> cp != null && keys.verifies(cp)).toList();
        if (trusted.isEmpty()) {
            throw new IllegalArgumentException("no checkpoint in " + directory + " verifies with the trusted key(s)");
        }
        Checkpoint checkpoint = trusted.getLast();
        MerkleFrontier start = LogStart.frontier(directory, trusted);
        if (start == null) {
            throw new IllegalStateException("the directory starts at position " + LogStart.firstPosition(directory)
                    + " and no trusted checkpoint was signed there; prove from the archive");
        }
        long first = start.size();
        byte[] needle = ("\"auditID\":\"" + auditId + "\"").getBytes(StandardCharsets.UTF_8);
        List<byte[]> leaves = new ArrayList<>();
        long position = -1;
        String line = null;
        try (AuditLogReader reader = AuditLogReader.open(directory)) {
            while (reader.hasNext() && first + leaves.size() < checkpoint.treeSize()) {
                byte[] bytes = reader.next().bytes();
                if (position < 0 && contains(bytes, needle)) {
                    position = first + leaves.size();
                    line = new String(bytes, StandardCharsets.UTF_8);
                }
                leaves.add(MerkleHash.leaf(bytes));
            }
        }
        if (position < 0) {
            throw new IllegalArgumentException("no event with audit id " + auditId + " in positions " + first + ".."
                    + (checkpoint.treeSize() - 1) + " (those the latest checkpoint covers)");
        }
        MerkleTree tree = new MerkleTree(start, leaves);
        if (tree.size() < checkpoint.treeSize() || !Arrays.equals(tree.root(tree.size()), checkpoint.root())) {
            throw new IllegalStateException("the log does not match its latest checkpoint (size "
                    + checkpoint.treeSize() + "); run 'gatehouse audit verify' to find where");
        }
        Base64.Encoder b64 = Base64.getEncoder();
        List<String> path = tree.inclusionPath(position, tree.size()).stream().map(b64::encodeToString).toList();
        return new InclusionProofDocument(auditId, position, line, path, checkpoint);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
