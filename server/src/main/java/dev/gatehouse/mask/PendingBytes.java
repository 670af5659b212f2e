package dev.gatehouse.mask;

import io.vertx.core.buffer.Buffer;

/**
 * The input bytes the masker has read but not yet sent, addressed by their offset in the whole body: the tail kept
 * from earlier chunks (a token cut by a chunk boundary that may have to be replaced) followed by the current chunk.
 * What it keeps is bounded by the longest token, not by the body.
 */
final class PendingBytes {
    private static final byte[] EMPTY = new byte[0];
    private static final int SHRINK_ABOVE = 256 * 1024;

    private byte[] kept = EMPTY;
    private int keptLength;
    private long keptStart;
    private byte[] chunk = EMPTY;
    private long chunkStart;

    /** Adds the next chunk after everything kept. The array is not copied and must not change until the next call. */
    void add(byte[] next) {
        chunk = next;
        chunkStart = keptStart + keptLength;
    }

    /** The offset just after the last byte added. */
    long end() {
        return chunkStart + chunk.length;
    }

    /** The byte at an offset between the oldest kept byte and {@link #end()}. */
    byte at(long offset) {
        if (offset < keptStart || offset >= end()) {
            throw new MaskingException("the masker lost track of the body at byte " + offset + " (expected: between "
                    + keptStart + " and " + end() + ")");
        }
        return offset >= chunkStart ? chunk[(int) (offset - chunkStart)] : kept[(int) (offset - keptStart)];
    }

    /** Appends the bytes in {@code [from, to)} to {@code out}. */
    void copy(Buffer out, long from, long to) {
        if (from < keptStart || to > end() || from > to) {
            throw new MaskingException("the masker lost track of the body: bytes " + from + ".." + to
                    + " (expected: within " + keptStart + ".." + end() + ")");
        }
        if (from < chunkStart) {
            long keptTo = Math.min(to, chunkStart);
            out.appendBytes(kept, (int) (from - keptStart), (int) (keptTo - from));
            from = keptTo;
        }
        if (from < to) {
            out.appendBytes(chunk, (int) (from - chunkStart), (int) (to - from));
        }
    }

    /** Forgets everything before {@code from} and keeps the rest (up to {@link #end()}) for the next chunk. */
    void keepFrom(long from) {
        long end = end();
        int length = (int) (end - from);
        byte[] target = kept.length >= length && !(kept.length > SHRINK_ABOVE && length < kept.length / 4)
                ? kept : new byte[(int) Math.max(length, Math.min(2L * length, Integer.MAX_VALUE - 8))];
        if (from < chunkStart) {
            int keptPart = (int) (chunkStart - from);
            if (target != kept || from != keptStart) {
                System.arraycopy(kept, (int) (from - keptStart), target, 0, keptPart);
            }
            System.arraycopy(chunk, 0, target, keptPart, chunk.length);
        } else {
            System.arraycopy(chunk, (int) (from - chunkStart), target, 0, length);
        }
        kept = target;
        keptLength = length;
        keptStart = from;
        chunk = EMPTY;
        chunkStart = end;
    }

    /** The bytes held between chunks (capacity), for tests of memory use. */
    int retainedCapacity() {
        return kept.length;
    }

    @Override
    public String toString() {
        return "PendingBytes[" + keptStart + ".." + end() + "]";
    }
}
