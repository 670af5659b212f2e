package dev.gatehouse.authn.serviceaccount;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.authn.TokenFingerprint;
import dev.gatehouse.authn.Credential;
import dev.gatehouse.authn.cache.CachingAuthenticator;
import dev.gatehouse.authn.cache.VerifiedTokenCache;
import dev.gatehouse.authn.oidc.HeaderValues;
import dev.gatehouse.authn.oidc.JwtPeek;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;

/**
 * Service-account tokens of one cluster, verified by that cluster with a TokenReview. Only JWTs whose
 * (unverified) {@code iss} is one of the cluster's service-account issuers are taken; others abstain. The
 * answer must say authenticated, and when audiences are configured it must name at least one of them. The
 * token's own {@code exp} (authentic once the cluster accepted the token) becomes the identity's expiry.
 * Use {@link #cached(ServiceAccountConfig, TokenReviewer)} in the gateway: reviews are reused for {@code cacheTtl}.
 */
public final class ServiceAccountAuthenticator implements Authenticator {
    private final ServiceAccountConfig config;
    private final TokenReviewer reviewer;

    public ServiceAccountAuthenticator(ServiceAccountConfig config, TokenReviewer reviewer) {
        this.config = Objects.requireNonNull(config, "config");
        this.reviewer = Objects.requireNonNull(reviewer, "reviewer");
    }

    /** The authenticator for one cluster (reviews through {@code reviewer}) behind a cache of {@code config.cacheTtl()}. */
    public static Authenticator cached(ServiceAccountConfig config, TokenReviewer reviewer) {
        Authenticator reviewing = new ServiceAccountAuthenticator(config, reviewer);
        if (config.cacheTtl().isZero()) {
            return reviewing;
        }
        return new CachingAuthenticator(reviewing, new VerifiedTokenCache(10_000, config.cacheTtl(), Clock.systemUTC()));
    }

    @Override
    public Future<AuthenticationResult> authenticate(Credential credential) {
        String token = credential.bearerToken();
        JwtPeek peek = JwtPeek.of(token);
        if (peek == null || !config.issuers().contains(peek.issuer())) {
            return Future.succeededFuture(AuthenticationResult.abstain());
        }
        Instant expiresAt = expiry(peek);
        return reviewer.review(token, config.audiences())
                .recover(err -> Future.failedFuture(GatewayException.unavailable("cluster " + config.cluster()
                        + " cannot review service-account tokens now; try again later")))
                .map(status -> result(status, token, expiresAt));
    }

    private AuthenticationResult result(TokenReviewStatus status, String token, Instant expiresAt) {
        String id = TokenFingerprint.of(token);
        if (!status.authenticated()) {
            return new AuthenticationResult.Rejected("cluster " + config.cluster()
                    + " did not accept the service-account token", id);
        }
        if (!config.audiences().isEmpty()
                && status.audiences().stream().noneMatch(config.audiences()::contains)) {
            return new AuthenticationResult.Rejected("the service-account token is not for audience "
                    + config.audiences(), id);
        }
        List<String> values = new ArrayList<>(status.groups());
        values.add(status.username());
        Map<String, String> attributes = new LinkedHashMap<>();
        status.extra().forEach((k, v) -> {
            if (!v.isEmpty()) {
                attributes.put(k, String.join(",", v));
            }
        });
        values.addAll(attributes.values());
        values.addAll(attributes.keySet());
        if (!status.uid().isEmpty()) {
            values.add(status.uid());
        }
        for (String v : values) {
            if (!HeaderValues.safe(v)) {
                return new AuthenticationResult.Rejected("the service account's identity contains characters that "
                        + "cannot be carried in a header", id);
            }
        }
        List<String> groups = status.groups().stream().map(g -> config.usernamePrefix() + g).toList();
        return new AuthenticationResult.Authenticated(new Identity(config.usernamePrefix() + status.username(),
                status.uid(), groups, "cluster:" + config.cluster(), AuthenticationMethod.SERVICE_ACCOUNT, List.of(),
                attributes, credentialId(status, id), expiresAt));
    }

    private static String credentialId(TokenReviewStatus status, String fingerprint) {
        List<String> jti = status.extra().get("authentication.kubernetes.io/credential-id");
        return jti != null && jti.size() == 1 && HeaderValues.safe(jti.get(0)) ? jti.get(0) : fingerprint;
    }

    private static Instant expiry(JwtPeek peek) {
        try {
            java.util.Date exp = peek.jwt().getJWTClaimsSet().getExpirationTime();
            return exp == null ? null : exp.toInstant();
        } catch (java.text.ParseException e) {
            return null;
        }
    }
}
