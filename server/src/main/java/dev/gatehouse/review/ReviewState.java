package dev.gatehouse.review;

/** Where a review or a grant stands. Only PENDING changes to something else; APPROVED may still be USED or REVOKED. */
public enum ReviewState {
    PENDING, APPROVED, DENIED, EXPIRED, CANCELLED,
    /** approved for one use, and that use happened */
    USED,
    /** a grant withdrawn after approval */
    REVOKED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean terminal() {
        return this != PENDING && this != APPROVED;
    }
}
