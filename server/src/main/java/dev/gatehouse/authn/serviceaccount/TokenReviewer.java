package dev.gatehouse.authn.serviceaccount;

import java.util.List;

import io.vertx.core.Future;

/**
 * Asks one cluster to review a token ({@code authentication.k8s.io/v1} TokenReview), as the gateway itself. The
 * gateway's calls to a cluster go through the forward package, with the cluster's one credential source;
 * {@code forward.UpstreamTokenReviewer} is the implementation.
 */
@FunctionalInterface
public interface TokenReviewer {
    /**
     * @param audiences the audiences the token must be valid for; empty for the API server's own
     * @return the review's status; a failed future when the review could not be done (network, the gateway's
     *         credential refused, a 5xx, an answer that is not a TokenReview) — a token the cluster refuses is an
     *         answer, not a failure
     */
    Future<TokenReviewStatus> review(String token, List<String> audiences);
}
