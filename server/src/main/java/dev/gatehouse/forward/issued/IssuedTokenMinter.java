package dev.gatehouse.forward.issued;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.gatehouse.authn.delegation.GatehouseIssuer;
import dev.gatehouse.authn.oidc.HeaderValues;
import dev.gatehouse.identity.Identity;

/**
 * Mints the per-request upstream credential: an ES256 JWT signed with the Gatehouse issuer's key, {@code typ}
 * {@code JWT}, carrying
 * <pre>
 * iss        the gateway's issuer URL          aud        the cluster's audience
 * sub, username  the user                       uid, groups the user's uid and groups
 * jti, request_id  the request id               iat, nbf, exp  now … now + lifetime (seconds)
 * token_use  "upstream"                         method, src_iss  how and by whom the user was verified
 * actors     the actor chain, outermost first   attributes  the identity's attributes (string map)
 * </pre>
 * Replay is bounded by the audience (one cluster) and the lifetime: the token authenticates a request that
 * starts within its lifetime; a stream opened with it runs on (the gateway ends it when the client's own
 * credential expires). It cannot be used at the gateway: {@code typ} and {@code aud} differ from delegated
 * tokens'. Minting costs one ES256 signature (tens of microseconds) on the caller's thread.
 */
public final class IssuedTokenMinter {
    private final GatehouseIssuer issuer;
    private final Duration lifetime;
    private final Clock clock;

    /**
     * @param lifetime how long each token is valid, 5 s to 5 min (30 s is a good default; clusters' clocks
     *                 must be within that of the gateway's)
     */
    public IssuedTokenMinter(GatehouseIssuer issuer, Duration lifetime, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        if (lifetime.compareTo(Duration.ofSeconds(5)) < 0 || lifetime.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("upstream.issuedToken.lifetime: " + lifetime + " (expected: 5s to 5m)");
        }
        this.lifetime = lifetime;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param identity        whom the request is for
     * @param requestId       the request's id (becomes {@code jti})
     * @param clusterAudience the audience the cluster's JWT authenticator expects; never the issuer URL itself
     * @return the compact JWT, to send as {@code Authorization: Bearer}
     */
    public String mint(Identity identity, String requestId, String clusterAudience) {
        Objects.requireNonNull(identity, "identity");
        if (!HeaderValues.safe(requestId)) {
            throw new IllegalArgumentException("requestId: expected printable ASCII");
        }
        if (clusterAudience == null || clusterAudience.isBlank() || clusterAudience.equals(issuer.issuerUrl())) {
            throw new IllegalArgumentException("clusterAudience: " + clusterAudience
                    + " (expected: the cluster's own audience, not the issuer URL)");
        }
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(identity.user())
                .audience(clusterAudience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(requestId)
                .claim("token_use", "upstream")
                .claim("request_id", requestId)
                .claim("username", identity.user())
                .claim("uid", identity.uid())
                .claim("groups", identity.groups())
                .claim("method", identity.method().wireName())
                .claim("src_iss", identity.issuer())
                .claim("actors", identity.actorChain().stream().map(Identity.Actor::subject).toList())
                .claim("attributes", identity.attributes());
        return issuer.sign(claims, GatehouseIssuer.UPSTREAM_TYPE);
    }
}
