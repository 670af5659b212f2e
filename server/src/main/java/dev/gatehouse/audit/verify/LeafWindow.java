package dev.gatehouse.audit.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.gatehouse.audit.merkle.MerkleFrontier;

/**
 * The leaves since the last checkpoint that matched, next to the leaves the sidecar files recorded for the same
 * positions. When a checkpoint does not match the events but does match the sidecar, the sidecar is authentic
 * and the first position where the two differ is the event that changed.
 */
final class LeafWindow {
    private static final int MAX = 4_000_000;
    private final List<byte[]> computed = new ArrayList<>();
    private final List<byte[]> recorded = new ArrayList<>();
    private MerkleFrontier recordedFrontier = MerkleFrontier.empty();
    private long start;
    private boolean overflow;

    /** Adds position {@code start + size}: its computed leaf and the sidecar's (null when absent). */
    void add(byte[] leaf, byte[] sidecarLeaf) {
        if (sidecarLeaf == null) {
            recordedFrontier = null;
        } else if (recordedFrontier != null) {
            recordedFrontier.append(sidecarLeaf);
        }
        if (computed.size() >= MAX) {
            overflow = true;
            return;
        }
        computed.add(leaf);
        recorded.add(sidecarLeaf);
    }

    /** The sidecar's root over everything so far, or null when some sidecar leaf was missing. */
    byte[] recordedRoot() {
        return recordedFrontier == null ? null : recordedFrontier.root();
    }

    /** After a matching checkpoint at {@code size}: starts a new window there. */
    void matched(long size, MerkleFrontier eventsFrontier) {
        computed.clear();
        recorded.clear();
        start = size;
        overflow = false;
        recordedFrontier = eventsFrontier.copy();
    }

    long start() {
        return start;
    }

    /**
     * Compares the events from position {@code from} to the end of the window with the leaf hashes the sidecar
     * recorded: a recorded hash that is absent or all zeros (never written out) cannot be checked. Null when the
     * window does not hold {@code from} (it overflowed, or starts after it).
     */
    TailCheck check(long from) {
        if (overflow || from < start) {
            return null;
        }
        long matched = 0;
        long unchecked = 0;
        List<Long> differing = new ArrayList<>();
        for (int i = (int) (from - start); i < computed.size(); i++) {
            byte[] r = recorded.get(i);
            if (r == null || Arrays.equals(r, new byte[r.length])) {
                unchecked++;
            } else if (Arrays.equals(r, computed.get(i))) {
                matched++;
            } else {
                differing.add(start + i);
            }
        }
        return new TailCheck(matched, unchecked, differing);
    }

    /** What {@link #check} found. */
    record TailCheck(long matched, long unchecked, List<Long> differing) {
    }

    /** The first position in the window where the events differ from the sidecar, or -1. */
    long firstDifference() {
        if (overflow) {
            return -1;
        }
        for (int i = 0; i < computed.size(); i++) {
            if (recorded.get(i) == null || !Arrays.equals(computed.get(i), recorded.get(i))) {
                return start + i;
            }
        }
        return -1;
    }
}
