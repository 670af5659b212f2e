package dev.gatehouse.review;

import java.time.Instant;
import java.util.Objects;

/**
 * One reviewer's word on a review or grant.
 *
 * @param reviewer   who decided
 * @param approve    true for an approval, false for a denial
 * @param reason     why ("" when none was given)
 * @param at         when
 * @param breakGlass true when a break-glass member approved their own request
 */
public record Verdict(Requester reviewer, boolean approve, String reason, Instant at, boolean breakGlass) {
    public Verdict {
        Objects.requireNonNull(reviewer, "reviewer");
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(at, "at");
    }
}
