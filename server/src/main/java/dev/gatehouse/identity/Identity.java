package dev.gatehouse.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who made a request, as verified by the gateway. Immutable; built by an {@code Authenticator}.
 *
 * @param user          the user name, prefixed per issuer where configured (e.g. {@code oidc:alice})
 * @param uid           a stable unique id when the mechanism provides one, else empty
 * @param groups        group names (also prefixed per issuer where configured)
 * @param issuer        who vouched for the identity: a token file, an OIDC issuer URL, a cluster
 * @param method        how the identity was verified
 * @param actorChain    for delegated tokens: the agents acting for {@code user}, outermost first; else empty
 * @param attributes    claims mapped for policy and audit (e.g. CI repository, branch); never forwarded raw
 * @param credentialId  the token's {@code jti} or a fingerprint of the credential; never the credential itself
 * @param expiresAt     when the credential stops being valid, or null when it does not expire
 */
public record Identity(String user, String uid, List<String> groups, String issuer, AuthenticationMethod method,
                       List<Actor> actorChain, Map<String, String> attributes, String credentialId,
                       Instant expiresAt) {

    public Identity {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(method, "method");
        uid = uid == null ? "" : uid;
        groups = List.copyOf(groups == null ? List.of() : groups);
        issuer = issuer == null ? "" : issuer;
        actorChain = List.copyOf(actorChain == null ? List.of() : actorChain);
        attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
        credentialId = credentialId == null ? "" : credentialId;
    }

    /** True when the credential has an expiry and it is not after {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** An agent in a delegation chain ({@code act} claim, RFC 8693). */
    public record Actor(String subject, String issuer) {
        public Actor {
            Objects.requireNonNull(subject, "subject");
            issuer = issuer == null ? "" : issuer;
        }
    }
}
