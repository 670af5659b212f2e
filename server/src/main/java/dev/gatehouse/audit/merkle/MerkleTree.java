package dev.gatehouse.audit.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * A Merkle tree over leaf hashes held in memory, for proofs: {@code MTH} and {@code PATH} exactly as RFC 6962
 * section 2.1 defines them.
 */
public final class MerkleTree {
    private final List<byte[]> leaves;

    public MerkleTree(List<byte[]> leafHashes) {
        this.leaves = leafHashes;
    }

    public int size() {
        return leaves.size();
    }

    /** The root of the first {@code n} leaves. */
    public byte[] root(int n) {
        return n == 0 ? MerkleHash.empty() : hash(0, n);
    }

    /** The audit path of leaf {@code index} in the tree of the first {@code n} leaves, leaf side first. */
    public List<byte[]> inclusionPath(int index, int n) {
        if (index < 0 || index >= n || n > leaves.size()) {
            throw new IllegalArgumentException("leaf " + index + " in a tree of " + n + " (expected: 0 <= leaf < "
                    + n + " <= " + leaves.size() + ")");
        }
        List<byte[]> path = new ArrayList<>();
        collect(index, 0, n, path);
        return path;
    }

    private void collect(int index, int lo, int hi, List<byte[]> path) {
        if (hi - lo == 1) {
            return;
        }
        int k = largestPowerOfTwoBelow(hi - lo);
        if (index < lo + k) {
            collect(index, lo, lo + k, path);
            path.add(hash(lo + k, hi));
        } else {
            collect(index, lo + k, hi, path);
            path.add(hash(lo, lo + k));
        }
    }

    private byte[] hash(int lo, int hi) {
        if (hi - lo == 1) {
            return leaves.get(lo);
        }
        int k = largestPowerOfTwoBelow(hi - lo);
        return MerkleHash.node(hash(lo, lo + k), hash(lo + k, hi));
    }

    static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }
}
