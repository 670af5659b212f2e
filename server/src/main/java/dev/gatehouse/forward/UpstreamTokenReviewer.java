package dev.gatehouse.forward;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.gatehouse.authn.serviceaccount.TokenReviewStatus;
import dev.gatehouse.authn.serviceaccount.TokenReviewer;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;

/**
 * TokenReviews created on a cluster through its upstream ({@link GatewayCall}: the cluster's pooled client and the
 * gateway's one credential for it, re-read as the forwarder's is). 401 or 403 means the gateway's credential may
 * not create TokenReviews, which the failure says.
 */
public final class UpstreamTokenReviewer implements TokenReviewer {
    static final int MAX_BYTES = 64 * 1024;

    private final Upstream upstream;
    private final Duration timeout;

    public UpstreamTokenReviewer(Upstream upstream, Duration timeout) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public Future<TokenReviewStatus> review(String token, List<String> audiences) {
        return GatewayCall.send(upstream, HttpMethod.POST, TokenReviewStatus.PATH,
                        TokenReviewStatus.request(token, audiences), MAX_BYTES, timeout)
                .recover(err -> Future.failedFuture(err instanceof GatewayCall.Refused r
                        && (r.status == 401 || r.status == 403)
                        ? new IllegalStateException("cluster " + upstream.name() + ": the gateway's credential may "
                                + "not create TokenReviews (" + r.status + ")", err)
                        : err))
                .map(answer -> TokenReviewStatus.parse(answer.getBytes()));
    }
}
