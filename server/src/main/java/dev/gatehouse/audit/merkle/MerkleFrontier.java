package dev.gatehouse.audit.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The right edge of a growing Merkle tree: one hash per perfect subtree, largest first, so appending a leaf and
 * computing the root both take O(log n) hashes. This is all the writer needs to sign a checkpoint, and it is
 * saved with every checkpoint so a restart resumes without rehashing the whole log.
 */
public final class MerkleFrontier {
    private final List<byte[]> subtrees;
    private long size;

    private MerkleFrontier(List<byte[]> subtrees, long size) {
        this.subtrees = subtrees;
        this.size = size;
    }

    /** The frontier of the empty tree. */
    public static MerkleFrontier empty() {
        return new MerkleFrontier(new ArrayList<>(), 0);
    }

    /** Restores a saved frontier; fails when the hashes do not fit {@code size}. */
    public static MerkleFrontier of(long size, List<byte[]> subtrees) {
        if (Long.bitCount(size) != subtrees.size()) {
            throw new IllegalArgumentException("frontier: " + subtrees.size() + " subtrees for size " + size
                    + " (expected: " + Long.bitCount(size) + ")");
        }
        return new MerkleFrontier(new ArrayList<>(subtrees), size);
    }

    /** Adds the next leaf, given its leaf hash. */
    public void append(byte[] leafHash) {
        byte[] carry = leafHash;
        long n = size;
        while ((n & 1) == 1) {
            carry = MerkleHash.node(subtrees.removeLast(), carry);
            n >>>= 1;
        }
        subtrees.add(carry);
        size++;
    }

    /** The number of leaves. */
    public long size() {
        return size;
    }

    /** The RFC 6962 root of the leaves so far. */
    public byte[] root() {
        if (subtrees.isEmpty()) {
            return MerkleHash.empty();
        }
        byte[] acc = subtrees.getLast();
        for (int i = subtrees.size() - 2; i >= 0; i--) {
            acc = MerkleHash.node(subtrees.get(i), acc);
        }
        return acc;
    }

    /** The perfect-subtree hashes, largest first (copies). */
    public List<byte[]> subtrees() {
        return subtrees.stream().map(h -> Arrays.copyOf(h, h.length)).toList();
    }

    public MerkleFrontier copy() {
        return new MerkleFrontier(new ArrayList<>(subtrees()), size);
    }
}
