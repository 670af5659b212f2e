package dev.gatehouse.audit.verify;

/**
 * One thing wrong with a log.
 *
 * @param position the first position affected (for a checkpoint: the tree size it claims)
 * @param kind     what is wrong
 * @param message  a sentence that says where and what
 */
public record Finding(long position, Kind kind, String message) {
    /** What kind of damage a finding reports. */
    public enum Kind {
        /** An event's bytes differ from what a checkpoint signed. */
        MODIFIED,
        /** Positions are missing: an event was deleted (or a segment lost). */
        MISSING,
        /** An event is where another belongs: inserted, duplicated or reordered. */
        OUT_OF_PLACE,
        /** A line is not an audit event. */
        UNREADABLE,
        /** The log ends before the size a checkpoint signed. */
        TRUNCATED,
        /** A checkpoint no trusted key verifies, or one that contradicts another. */
        BAD_CHECKPOINT
    }

    @Override
    public String toString() {
        return "position " + position + ": " + kind + ": " + message;
    }
}
