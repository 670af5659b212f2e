package dev.gatehouse.mask;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.Stage;
import dev.gatehouse.policy.Decision;
import io.vertx.core.Future;

/**
 * The masking profile stage: what the client of this request receives. The policy rule's {@code mask} profile is
 * {@code masked} (the default, also for rules without one) or {@code clear}; {@code clear} shows values in clear only
 * when the requester holds an approved, unexpired grant that covers the request (a break-glass grant), and only until
 * that grant ends. Without one — or when the grant cannot be looked up — the response is masked (fail closed). Either
 * way the audit event names the profile, what the client got, and the grant; the audit log, recordings, exports and
 * reviewers never see a response body, so they stay masked.
 */
public final class ProfileStage implements Stage {
    /** The profile that masks (the default). */
    public static final String MASKED = "masked";
    /** The profile that shows values in clear to a holder of a covering grant. */
    public static final String CLEAR = "clear";
    private static final Logger LOG = LoggerFactory.getLogger(ProfileStage.class);

    /** Finds the approved grant covering an exchange's request (and records its use). */
    @FunctionalInterface
    public interface Grants {
        Future<Optional<ClearGrant>> covering(Exchange exchange);
    }

    /**
     * An approved grant, as the profile needs it.
     *
     * @param validUntil when it ends; null (not approved) never shows anything in clear
     */
    public record ClearGrant(String id, Instant validUntil) {
    }

    private final Grants grants;
    private final Clock clock;

    public ProfileStage(Grants grants, Clock clock) {
        this.grants = grants;
        this.clock = clock;
    }

    @Override
    public Future<Void> apply(Exchange exchange) {
        Decision decision = exchange.policy();
        if (decision == null || !decision.maskProfile().equals(CLEAR) || exchange.info() == null
                || exchange.upgrade() != null) {
            return Future.succeededFuture();
        }
        exchange.decisionDetails().put("maskProfile", CLEAR);
        Future<Optional<ClearGrant>> found;
        try {
            found = grants.covering(exchange);
        } catch (RuntimeException e) {
            found = Future.failedFuture(e);
        }
        return found.otherwise(e -> {
            LOG.warn("{} cannot look up a grant for the clear masking profile, masking: {}", exchange.id(),
                    e.getMessage());
            return Optional.empty();
        }).map(grant -> {
            Instant now = clock.instant();
            if (grant.isPresent() && grant.get().validUntil() != null && now.isBefore(grant.get().validUntil())) {
                exchange.clearUntil(grant.get().validUntil());
                exchange.decisionDetails().put("maskGrantId", grant.get().id());
                exchange.decisionDetails().put("maskView", "clear until " + grant.get().validUntil());
            } else {
                exchange.decisionDetails().put("maskView", "masked (no approved grant covers the request)");
            }
            return null;
        });
    }
}
