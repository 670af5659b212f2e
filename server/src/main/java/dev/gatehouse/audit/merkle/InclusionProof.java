package dev.gatehouse.audit.merkle;

import java.util.Arrays;
import java.util.List;

/**
 * Proof that a leaf is in a tree of a given size: recomputing the root from the leaf hash and the audit path
 * (RFC 9162 section 2.1.3.2) must give the tree's root.
 *
 * @param leafIndex the leaf's position
 * @param treeSize  the size of the tree the path belongs to
 * @param path      the audit path, leaf side first
 */
public record InclusionProof(long leafIndex, long treeSize, List<byte[]> path) {

    /** The root the path leads to from {@code leafHash}, or null when the path does not fit the indices. */
    public byte[] rootFrom(byte[] leafHash) {
        if (leafIndex < 0 || leafIndex >= treeSize) {
            return null;
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                return null;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHash.node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = MerkleHash.node(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 ? r : null;
    }

    /** Whether the proof leads from {@code leafHash} to {@code root}. */
    public boolean verifies(byte[] leafHash, byte[] root) {
        byte[] computed = rootFrom(leafHash);
        return computed != null && Arrays.equals(computed, root);
    }
}
