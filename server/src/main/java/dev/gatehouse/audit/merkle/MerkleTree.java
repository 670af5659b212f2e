package dev.gatehouse.audit.merkle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Merkle tree over leaf hashes held in memory, for proofs: {@code MTH} and {@code PATH} exactly as RFC 6962
 * section 2.1 defines them. The leaves may start at a later position than 0 when a frontier stands for the ones
 * before (a log whose oldest segments were deleted past retention): every proof of a later leaf only needs those
 * perfect subtrees whole.
 */
public final class MerkleTree {
    private final List<byte[]> leaves;
    private final long offset;
    private final Map<Long, byte[]> prefix = new HashMap<>();
    private final Map<Long, Long> prefixSizes = new HashMap<>();

    /** A tree over {@code leafHashes} from position 0. */
    public MerkleTree(List<byte[]> leafHashes) {
        this(MerkleFrontier.empty(), leafHashes);
    }

    /** A tree whose first {@code before.size()} leaves are known only through {@code before}'s subtrees. */
    public MerkleTree(MerkleFrontier before, List<byte[]> leafHashes) {
        this.leaves = leafHashes;
        this.offset = before.size();
        long start = 0;
        List<byte[]> subtrees = before.subtrees();
        for (int bit = 63, i = 0; bit >= 0; bit--) {
            long size = 1L << bit;
            if ((offset & size) != 0) {
                prefix.put(start, subtrees.get(i++));
                prefixSizes.put(start, size);
                start += size;
            }
        }
    }

    /** How many leaves the tree has (including those before the first held leaf). */
    public long size() {
        return offset + leaves.size();
    }

    /** The root of the first {@code n} leaves. */
    public byte[] root(long n) {
        return n == 0 ? MerkleHash.empty() : hash(0, n);
    }

    /** The audit path of leaf {@code index} in the tree of the first {@code n} leaves, leaf side first. */
    public List<byte[]> inclusionPath(long index, long n) {
        if (index < offset || index >= n || n > size()) {
            throw new IllegalArgumentException("leaf " + index + " in a tree of " + n + " (expected: " + offset
                    + " <= leaf < " + n + " <= " + size() + ")");
        }
        List<byte[]> path = new ArrayList<>();
        collect(index, 0, n, path);
        return path;
    }

    private void collect(long index, long lo, long hi, List<byte[]> path) {
        if (hi - lo == 1) {
            return;
        }
        long k = largestPowerOfTwoBelow(hi - lo);
        if (index < lo + k) {
            collect(index, lo, lo + k, path);
            path.add(hash(lo + k, hi));
        } else {
            collect(index, lo + k, hi, path);
            path.add(hash(lo, lo + k));
        }
    }

    private byte[] hash(long lo, long hi) {
        Long known = prefixSizes.get(lo);
        if (known != null && known == hi - lo) {
            return prefix.get(lo);
        }
        if (hi - lo == 1) {
            if (lo < offset) {
                throw new IllegalStateException("leaf " + lo + " is not held (the tree starts at " + offset + ")");
            }
            return leaves.get((int) (lo - offset));
        }
        long k = largestPowerOfTwoBelow(hi - lo);
        return MerkleHash.node(hash(lo, lo + k), hash(lo + k, hi));
    }

    static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }
}
