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
