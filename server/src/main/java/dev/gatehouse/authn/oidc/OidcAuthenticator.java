package dev.gatehouse.authn.oidc;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.authn.Credential;
import dev.gatehouse.authn.JoseCrypto;
import dev.gatehouse.authn.TokenFingerprint;
import dev.gatehouse.authn.UnionAuthenticator;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Verifies JWTs from one OIDC issuer. Tokens whose unverified {@code iss} is another issuer's are left to
 * others (abstain); for its own issuer it checks, with Nimbus JOSE+JWT: an allowed asymmetric algorithm
 * (never {@code none}, never HMAC — the JWKS's public key is never used as an HMAC secret), the signature
 * against the issuer's JWKS, {@code iss}, {@code aud}, {@code exp} (required), {@code nbf} and {@code iat}
 * within the clock skew, the required claims, and that every mapped value can be carried in a header.
 * Signature checks run on the caller's thread (tens of microseconds); key fetches are asynchronous.
 */
public final class OidcAuthenticator implements Authenticator {
    private final OidcIssuerConfig config;
    private final JwksCache keys;
    private final Clock clock;
    private final ClaimMapper mapper;
    private final Set<JWSAlgorithm> algorithms;
    private final DefaultJWTProcessor<SecurityContext> processor;

    /**
     * @param config the issuer
     * @param keys   the issuer's keys (see {@link #of(Vertx, OidcIssuerConfig)} for the HTTP-backed default)
     * @param clock  the time against which exp/nbf/iat are checked
     */
    public OidcAuthenticator(OidcIssuerConfig config, JwksCache keys, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.mapper = new ClaimMapper(config);
        this.algorithms = config.allowedAlgorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toUnmodifiableSet());
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new ConvertedKeySelector(algorithms, keys::current));
        processor.setJWSVerifierFactory(JoseCrypto.verifierFactory());
        processor.setJWTClaimsSetVerifier(claimsVerifier());
    }

    /** The authenticator for one issuer, fetching discovery and JWKS over HTTP with the issuer's CA. */
    public static OidcAuthenticator of(Vertx vertx, OidcIssuerConfig config) {
        return new OidcAuthenticator(config, JwksCache.of(HttpJwksFetcher.of(vertx, config)), Clock.systemUTC());
    }

    /**
     * One authenticator per issuer, in a union; checks that no two issuers share a URL or a username prefix.
     */
    public static UnionAuthenticator union(Vertx vertx, List<OidcIssuerConfig> issuers) {
        OidcIssuerConfig.checkDistinct(issuers);
        return new UnionAuthenticator(issuers.stream().map(c -> (Authenticator) of(vertx, c)).toList());
    }

    public OidcIssuerConfig config() {
        return config;
    }

    /** Loads the issuer's keys now (at start-up), so the first request does not wait for them. */
    public Future<Void> warmUp() {
        return keys.refresh().mapEmpty();
    }

    @Override
    public Future<AuthenticationResult> authenticate(Credential credential) {
        String token = credential.bearerToken();
        JwtPeek peek = JwtPeek.of(token);
        if (peek == null || !peek.issuer().equals(config.issuerUrl())) {
            return Future.succeededFuture(AuthenticationResult.abstain());
        }
        if (peek.jwt() instanceof PlainJWT) {
            return rejected("unsigned tokens (alg none) are never accepted", token);
        }
        if (peek.jwt() instanceof EncryptedJWT || !(peek.jwt() instanceof SignedJWT jwt)) {
            return rejected("encrypted tokens are not accepted", token);
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!algorithms.contains(alg)) {
            return rejected("algorithm " + alg + " is not allowed for issuer " + config.issuerUrl(), token);
        }
        return keys.keysFor(jwt.getHeader())
                .recover(err -> Future.failedFuture(GatewayException.unavailable(
                        "the keys of issuer " + config.issuerUrl() + " cannot be fetched; try again later")))
                .map(ignored -> verify(jwt, token));
    }

    private AuthenticationResult verify(SignedJWT jwt, String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (BadJWTException e) {
            return new AuthenticationResult.Rejected("token from " + config.issuerUrl() + " refused: "
                    + e.getMessage(), credentialId(jwt, token));
        } catch (BadJOSEException e) {
            return new AuthenticationResult.Rejected("token from " + config.issuerUrl()
                    + " refused: the signature does not verify with any of the issuer's current keys",
                    TokenFingerprint.of(token));
        } catch (JOSEException e) {
            return new AuthenticationResult.Rejected("token from " + config.issuerUrl()
                    + " refused: the signature cannot be checked", TokenFingerprint.of(token));
        }
        try {
            return new AuthenticationResult.Authenticated(mapper.identity(claims, token));
        } catch (ClaimMapper.ClaimException e) {
            return new AuthenticationResult.Rejected("token from " + config.issuerUrl() + " refused: "
                    + e.getMessage(), credentialId(jwt, token));
        }
    }

    private DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier() {
        JWTClaimsSet exact = new JWTClaimsSet.Builder().issuer(config.issuerUrl()).build();
        Set<String> required = new HashSet<>(Set.of("iss", "aud", "exp"));
        required.add(config.usernameClaim());
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(
                Set.copyOf(config.audiences()), exact, required, null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }

            @Override
            public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
                super.verify(claims, context);
                Date iat = claims.getIssueTime();
                Instant latest = clock.instant().plus(config.clockSkew());
                if (iat != null && iat.toInstant().isAfter(latest)) {
                    throw new BadJWTException("JWT issued in the future (iat)");
                }
            }
        };
        verifier.setMaxClockSkew((int) config.clockSkew().toSeconds());
        return verifier;
    }

    private static String credentialId(SignedJWT jwt, String token) {
        try {
            String jti = jwt.getJWTClaimsSet().getJWTID();
            return jti != null && HeaderValues.safe(jti) ? "jti:" + jti : TokenFingerprint.of(token);
        } catch (java.text.ParseException e) {
            return TokenFingerprint.of(token);
        }
    }

    private static Future<AuthenticationResult> rejected(String reason, String token) {
        return Future.succeededFuture(new AuthenticationResult.Rejected(reason, TokenFingerprint.of(token)));
    }
}
