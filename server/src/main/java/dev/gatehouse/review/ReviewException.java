package dev.gatehouse.review;

/**
 * A review step refused, with the HTTP code that says why: 400 (a reason is required, a bad scope), 403 (not an
 * approver, self-approval), 404 (no such review), 409 (no longer pending, changed meanwhile). Its message is for
 * people and names the rule that refused. No stack trace: it is an answer.
 */
public final class ReviewException extends RuntimeException {
    private final int code;

    public ReviewException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
