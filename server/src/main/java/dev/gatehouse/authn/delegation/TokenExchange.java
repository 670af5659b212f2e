package dev.gatehouse.authn.delegation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.authn.Credential;
import dev.gatehouse.authn.TokenFingerprint;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import io.vertx.core.Future;

/**
 * The RFC 8693 token exchange: an agent presents its own token as {@code actor_token} and the token of the
 * identity it acts for as {@code subject_token}; both are verified by the gateway's authenticators (so the
 * subject may itself be a delegated token, and the chain grows). The answer is a short-lived delegated token
 * for the subject with the actor chain in {@code act}, living no longer than either input token.
 * Refused: a missing actor, a delegated token as actor, a break-glass subject, chains deeper than five.
 */
public final class TokenExchange {
    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    static final Set<String> TOKEN_TYPES = Set.of(JWT_TYPE, "urn:ietf:params:oauth:token-type:access_token",
            "urn:ietf:params:oauth:token-type:id_token");
    private static final Logger log = LoggerFactory.getLogger(TokenExchange.class);

    private final GatehouseIssuer issuer;
    private final Authenticator authenticator;
    private final Duration maxLifetime;
    private final Clock clock;

    /**
     * @param issuer        signs the delegated tokens
     * @param authenticator verifies subject and actor tokens: the gateway's whole union (with the
     *                      {@link DelegatedTokenAuthenticator}, so chains can nest)
     * @param maxLifetime   the longest a delegated token lives (e.g. 5 minutes), 1 s to 1 h
     */
    public TokenExchange(GatehouseIssuer issuer, Authenticator authenticator, Duration maxLifetime, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        if (maxLifetime.compareTo(Duration.ofSeconds(1)) < 0 || maxLifetime.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("delegation.maxLifetime: " + maxLifetime + " (expected: 1s to 1h)");
        }
        this.maxLifetime = maxLifetime;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Who took part in an exchange, as far as the gateway verified it: what the audit event of the exchange
     * names. Identities are null when their token did not verify (or was not looked at).
     *
     * @param subject           the identity the token is for, or null
     * @param subjectCredential the subject token's jti or fingerprint, or null when none was presented
     * @param actor             the agent's own identity, or null
     * @param actorCredential   the actor token's jti or fingerprint, or null when none was presented
     */
    public record Parties(Identity subject, String subjectCredential, Identity actor, String actorCredential) {
        /** Nobody was verified (the request was refused before the tokens were looked at). */
        public static final Parties NONE = new Parties(null, null, null, null);
    }

    /** The outcome: a token response or an OAuth error, each with its HTTP status and who took part. */
    public sealed interface Outcome {
        Parties parties();

        /** RFC 8693 section 2.2.1 response; {@code identity} is the delegated identity the token carries. */
        record Issued(String accessToken, long expiresIn, Identity identity, Parties parties) implements Outcome {
            @Override
            public String toString() {
                return "Issued[user=" + identity.user() + ", expiresIn=" + expiresIn + "]";
            }
        }

        /** RFC 6749 section 5.2 error. */
        record Error(int status, String error, String description, Parties parties) implements Outcome {
            /** An error before any token was verified. */
            public Error(int status, String error, String description) {
                this(status, error, description, Parties.NONE);
            }
        }
    }

    /** Runs the exchange for a request's form parameters. */
    public Future<Outcome> exchange(Map<String, String> form) {
        if (!GRANT_TYPE.equals(form.get("grant_type"))) {
            return error(400, "unsupported_grant_type", "grant_type must be " + GRANT_TYPE);
        }
        String subjectToken = form.get("subject_token");
        String actorToken = form.get("actor_token");
        if (subjectToken == null || subjectToken.isEmpty() || !TOKEN_TYPES.contains(form.get("subject_token_type"))) {
            return error(400, "invalid_request", "subject_token and a subject_token_type of " + TOKEN_TYPES + " are required");
        }
        if (actorToken == null || actorToken.isEmpty() || !TOKEN_TYPES.contains(form.get("actor_token_type"))) {
            return error(400, "invalid_request", "actor_token (the agent's own token) and its actor_token_type are required");
        }
        String requested = form.get("requested_token_type");
        if (requested != null && !requested.equals(JWT_TYPE) && !requested.equals("urn:ietf:params:oauth:token-type:access_token")) {
            return error(400, "invalid_request", "requested_token_type must be " + JWT_TYPE);
        }
        Future<AuthenticationResult> subject = authenticator.authenticate(new Credential(subjectToken));
        Future<AuthenticationResult> actor = authenticator.authenticate(new Credential(actorToken));
        return Future.all(subject, actor).map(all -> decide(subject.result(), actor.result(),
                parties(subject.result(), subjectToken, actor.result(), actorToken)));
    }

    private static Parties parties(AuthenticationResult subject, String subjectToken, AuthenticationResult actor,
                                   String actorToken) {
        return new Parties(identity(subject), credentialId(subject, subjectToken), identity(actor),
                credentialId(actor, actorToken));
    }

    private static Identity identity(AuthenticationResult result) {
        return result instanceof AuthenticationResult.Authenticated a ? a.identity() : null;
    }

    private static String credentialId(AuthenticationResult result, String token) {
        return switch (result) {
            case AuthenticationResult.Authenticated a -> a.identity().credentialId();
            case AuthenticationResult.Rejected r when !r.credentialId().isEmpty() -> r.credentialId();
            default -> TokenFingerprint.of(token);
        };
    }

    private Outcome decide(AuthenticationResult subjectResult, AuthenticationResult actorResult, Parties parties) {
        if (parties.subject() == null) {
            return new Outcome.Error(400, "invalid_grant", "the subject_token does not verify" + reason(subjectResult),
                    parties);
        }
        if (parties.actor() == null) {
            return new Outcome.Error(400, "invalid_grant", "the actor_token does not verify" + reason(actorResult),
                    parties);
        }
        Identity subject = parties.subject();
        Identity actor = parties.actor();
        if (actor.method() == AuthenticationMethod.DELEGATED) {
            return new Outcome.Error(400, "invalid_request", "the actor_token must be the agent's own token, not a delegated one",
                    parties);
        }
        if (subject.method().breakGlass()) {
            return new Outcome.Error(400, "invalid_grant", "break-glass identities cannot be delegated", parties);
        }
        List<Identity.Actor> chain = new ArrayList<>();
        chain.add(new Identity.Actor(actor.user(), actor.issuer()));
        chain.addAll(subject.actorChain());
        if (chain.size() > DelegatedTokenAuthenticator.MAX_CHAIN) {
            return new Outcome.Error(400, "invalid_request", "the actor chain would be longer than "
                    + DelegatedTokenAuthenticator.MAX_CHAIN, parties);
        }
        Instant now = clock.instant();
        Instant exp = now.plus(maxLifetime);
        for (Instant other : new Instant[] {subject.expiresAt(), actor.expiresAt()}) {
            if (other != null && other.isBefore(exp)) {
                exp = other;
            }
        }
        long seconds = Duration.between(now, exp).toSeconds();
        if (seconds < 1) {
            return new Outcome.Error(400, "invalid_grant", "the subject or actor token expires too soon", parties);
        }
        exp = now.plusSeconds(seconds);
        String jti = UUID.randomUUID().toString();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().audience(issuer.issuerUrl())
                .issueTime(Date.from(now)).expirationTime(Date.from(exp)).jwtID(jti);
        DelegatedClaims.write(claims, subject, chain);
        String token = issuer.sign(claims, GatehouseIssuer.DELEGATED_TYPE);
        Identity delegated = new Identity(subject.user(), subject.uid(), subject.groups(), subject.issuer(),
                AuthenticationMethod.DELEGATED, chain, subject.attributes(), "jti:" + jti, exp);
        log.info("delegated token jti:{} issued to {} acting for {} (chain {}), expires {}", jti, actor.user(),
                subject.user(), chain.size(), exp);
        return new Outcome.Issued(token, seconds, delegated, parties);
    }

    private static String reason(AuthenticationResult result) {
        return result instanceof AuthenticationResult.Rejected r ? ": " + r.reason() : ": not recognised";
    }

    private static Future<Outcome> error(int status, String error, String description) {
        return Future.succeededFuture(new Outcome.Error(status, error, description));
    }
}
