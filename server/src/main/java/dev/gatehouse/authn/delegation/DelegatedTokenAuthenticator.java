package dev.gatehouse.authn.delegation;

import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.authn.Credential;
import dev.gatehouse.authn.JoseCrypto;
import dev.gatehouse.authn.TokenFingerprint;
import dev.gatehouse.authn.oidc.HeaderValues;
import dev.gatehouse.authn.oidc.JwtPeek;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import io.vertx.core.Future;

/**
 * Accepts the delegated tokens this gateway issued in a token exchange: ES256 with one of the issuer's keys,
 * {@code typ} {@code gatehouse-delegated+jwt} (so a per-request upstream token cannot be played back here),
 * {@code iss} and {@code aud} both the gateway's issuer URL, and not expired — with no clock skew, since the
 * gateway's own clock set {@code exp}. The identity is the subject's, with method {@code DELEGATED}, the
 * actor chain from {@code act}, the {@code jti} as credential id and {@code exp} as expiry.
 */
public final class DelegatedTokenAuthenticator implements Authenticator {
    static final int MAX_CHAIN = 5;
    private final GatehouseIssuer issuer;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public DelegatedTokenAuthenticator(GatehouseIssuer issuer, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(GatehouseIssuer.DELEGATED_TYPE));
        processor.setJWSVerifierFactory(JoseCrypto.verifierFactory());
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                (selector, ctx) -> selector.select(issuer.keys().publicKeys())));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                Set.of(issuer.issuerUrl()), new JWTClaimsSet.Builder().issuer(issuer.issuerUrl()).build(),
                Set.of("sub", "exp", "iat", "jti"), null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew(0);
        processor.setJWTClaimsSetVerifier(claims);
    }

    @Override
    public Future<AuthenticationResult> authenticate(Credential credential) {
        String token = credential.bearerToken();
        JwtPeek peek = JwtPeek.of(token);
        if (peek == null || !peek.issuer().equals(issuer.issuerUrl())) {
            return Future.succeededFuture(AuthenticationResult.abstain());
        }
        if (!(peek.jwt() instanceof SignedJWT jwt)) {
            return rejected("delegated tokens are signed; this one is not", TokenFingerprint.of(token));
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (BadJOSEException | JOSEException e) {
            return rejected("delegated token refused: " + e.getMessage(), credentialId(jwt, token));
        }
        try {
            return Future.succeededFuture(new AuthenticationResult.Authenticated(identity(claims)));
        } catch (IllegalArgumentException e) {
            return rejected("delegated token refused: " + e.getMessage(), "jti:" + claims.getJWTID());
        }
    }

    private static Identity identity(JWTClaimsSet claims) {
        List<Identity.Actor> chain = DelegatedClaims.chain(claims, MAX_CHAIN);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no act claim");
        }
        List<String> groups = new ArrayList<>();
        Object g = claims.getClaim(DelegatedClaims.GROUPS);
        if (g instanceof List<?> list) {
            list.forEach(x -> groups.add(String.valueOf(x)));
        }
        Map<String, String> attributes = DelegatedClaims.attributes(claims);
        Object uid = claims.getClaim(DelegatedClaims.UID);
        Object sourceIssuer = claims.getClaim(DelegatedClaims.SOURCE_ISSUER);
        List<String> values = new ArrayList<>(groups);
        values.add(claims.getSubject());
        chain.forEach(a -> values.add(a.subject()));
        if (values.stream().anyMatch(v -> !HeaderValues.safe(v))) {
            throw new IllegalArgumentException("a value cannot be carried in a header");
        }
        return new Identity(claims.getSubject(), uid instanceof String s ? s : "", groups,
                sourceIssuer instanceof String s ? s : "", AuthenticationMethod.DELEGATED, chain, attributes,
                "jti:" + claims.getJWTID(), claims.getExpirationTime().toInstant());
    }

    private static String credentialId(SignedJWT jwt, String token) {
        try {
            String jti = jwt.getJWTClaimsSet().getJWTID();
            return jti != null && HeaderValues.safe(jti) ? "jti:" + jti : TokenFingerprint.of(token);
        } catch (ParseException e) {
            return TokenFingerprint.of(token);
        }
    }

    private static Future<AuthenticationResult> rejected(String reason, String credentialId) {
        return Future.succeededFuture(new AuthenticationResult.Rejected(reason, credentialId));
    }
}
