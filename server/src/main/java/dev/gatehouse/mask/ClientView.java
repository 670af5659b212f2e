package dev.gatehouse.mask;

import java.time.Clock;
import java.time.Instant;

import dev.gatehouse.chain.Exchange;

/**
 * What the client of one response may see: masked values (the default), or the values in clear until an instant
 * (the end of the break-glass grant that allowed it; read at each value, so a watch that outlives the grant gets
 * the values after that instant masked). Only the client's copy: the audit log, recordings, exports and reviewers
 * never see a response body.
 *
 * @param clearUntil null: masked
 */
public record ClientView(Instant clearUntil, String grantId, Clock clock) {
    /** Masked values. */
    public static final ClientView MASKED = new ClientView(null, "", Clock.systemUTC());

    public ClientView {
        grantId = grantId == null ? "" : grantId;
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** Values in clear until {@code until}. */
    public static ClientView clearUntil(Instant until, String grantId, Clock clock) {
        return new ClientView(java.util.Objects.requireNonNull(until, "until"), grantId, clock);
    }

    /** The view the profile stage chose for this exchange ({@link Exchange#clearUntil()}). */
    public static ClientView of(Exchange exchange) {
        Instant until = exchange.clearUntil();
        return until == null ? MASKED : clearUntil(until, exchange.decisionDetails().get("maskGrantId"),
                Clock.systemUTC());
    }

    /** True when a value read now goes to the client in clear. */
    public boolean clearNow() {
        return clearUntil != null && clock.instant().isBefore(clearUntil);
    }
}
