package dev.gatehouse.authn.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.authn.Credential;
import dev.gatehouse.authn.UnionAuthenticator;
import dev.gatehouse.authn.cache.CachingAuthenticator;
import dev.gatehouse.authn.cache.VerifiedTokenCache;
import dev.gatehouse.authn.delegation.DelegatedTokenAuthenticator;
import dev.gatehouse.authn.delegation.GatehouseIssuer;
import dev.gatehouse.authn.delegation.GatehouseSigningKeys;
import io.vertx.core.Future;

/**
 * The token header and claims readers ({@link JwtPeek}, then Nimbus in {@link OidcAuthenticator} and
 * {@link DelegatedTokenAuthenticator}, behind the verified-token cache) under forged tokens: random bytes, real
 * tokens with a fuzzed header (alg {@code none}, HMAC, unknown algorithms, a huge or nested {@code kid}, an embedded
 * {@code jwk}, {@code jku}, {@code crit}, {@code b64}), a random payload, and signatures that are empty, random,
 * made with an attacker's key or with HMAC keyed by the issuer's public key. Every such token is Rejected or
 * Abstain, the future never fails; only the tokens the real keys signed, unchanged, authenticate. Jazzer fuzzes one
 * target per JVM, so each target has its own class; the suite runs every class in fuzzing mode for a few seconds
 * ({@code fuzz} execution in server/pom.xml), {@code scripts/fuzz.sh} for longer. Inputs that broke a target are
 * kept under src/test/resources and replayed in every run.
 */
class JwtPeekFuzzTest {
    private static final String IDP = "https://idp.example.com";
    private static final String GATEHOUSE = "https://gatehouse.example.com";
    private static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");
    private static final RSAKey IDP_KEY = TestTokens.rsaKey("k1");
    private static final ECKey ATTACKER_KEY = TestTokens.ecKey("k1");
    private static final GatehouseIssuer ISSUER = new GatehouseIssuer(GATEHOUSE, GatehouseSigningKeys.inMemory());
    private static final MutableClock CLOCK = new MutableClock(NOW);
    private static final String OIDC_TOKEN = TestTokens.sign(IDP_KEY,
            TestTokens.claims(IDP, "gatehouse", "alice", NOW).build());
    private static final String DELEGATED_TOKEN = ISSUER.sign(delegated(), GatehouseIssuer.DELEGATED_TYPE);
    /** Signed by the gateway's key but for upstream use: the delegated authenticator must refuse its {@code typ}. */
    private static final String UPSTREAM_TOKEN = ISSUER.sign(delegated(), GatehouseIssuer.UPSTREAM_TYPE);
    private static final Set<String> AUTHENTIC = Set.of(OIDC_TOKEN, DELEGATED_TOKEN);
    private static final Authenticator AUTHENTICATOR = authenticator();
    private static final List<String> ALGS = List.of("none", "None", "NONE", "HS256", "HS512", "RS256", "ES256",
            "PS256", "EdDSA", "ES256K", "RSA-OAEP", "dir", "", "RS256\u0000");
    private static final List<String> PIECES = List.of("{", "}", "[", "]", ":", ",", "\"", "\"alg\"", "\"kid\"",
            "\"k1\"", "\"none\"", "\"RS256\"", "\"jwk\"", "\"crit\"", "\"b64\"", "false", "null", "1e999", "\\u0000",
            "\"enc\"", "\"A128GCM\"", "\"typ\"", "\"cty\"", "\"JWT\"");

    /** Valid claims for a delegated token (the delegated check allows no clock skew: valid since a minute ago). */
    private static JWTClaimsSet.Builder delegated() {
        Instant before = NOW.minusSeconds(60);
        return TestTokens.claims(GATEHOUSE, GATEHOUSE, "alice", before).claim("act", Map.of("sub", "robot"));
    }

    private static Authenticator authenticator() {
        OidcIssuerConfig config = OidcIssuerConfig.builder("authentication.oidc[0]").issuerUrl(IDP)
                .audiences(List.of("gatehouse")).build();
        JwksCache keys = JwksCache.preloaded(new JWKSet(IDP_KEY.toPublicJWK()),
                () -> Future.succeededFuture(new JWKSet(IDP_KEY.toPublicJWK())), Duration.ofSeconds(10));
        Authenticator union = new UnionAuthenticator(List.of(new OidcAuthenticator(config, keys, CLOCK),
                new DelegatedTokenAuthenticator(ISSUER, CLOCK)));
        return new CachingAuthenticator(union, new VerifiedTokenCache(1000, Duration.ofMinutes(5), CLOCK));
    }

    @FuzzTest(maxDuration = "10s")
    void forgedTokensAreRejectedOrLeftNeverAuthenticated(FuzzedDataProvider data) {
        String token = switch (data.consumeInt(0, 3)) {
            case 0 -> data.consumeRemainingAsString();
            case 1 -> data.pickValue(List.of("ey", "eyJ")) + data.consumeRemainingAsAsciiString();
            case 2 -> confused(data);
            default -> forged(data);
        };
        AuthenticationResult result = TestTokens.await(AUTHENTICATOR.authenticate(
                new Credential(token)));
        if (AUTHENTIC.contains(token)) {
            assertThat(result).isInstanceOf(AuthenticationResult.Authenticated.class);
        } else {
            assertThat(result).as("a forged token").isNotInstanceOf(AuthenticationResult.Authenticated.class);
        }
        if (result instanceof AuthenticationResult.Rejected rejected && token.length() >= 16) {
            assertThat(rejected.reason()).doesNotContain(token);
        }
    }

    /** A real token's claims under {@code alg: none}, or HS256 keyed by the issuer's public key in some encoding. */
    private static String confused(FuzzedDataProvider data) {
        String[] parts = data.pickValue(List.of(OIDC_TOKEN, DELEGATED_TOKEN)).split("\\.");
        if (data.consumeBoolean()) {
            String none = b64("{\"alg\":\"" + data.pickValue(List.of("none", "None", "nOnE")) + "\"}");
            return none + "." + parts[1] + "." + (data.consumeBoolean() ? "" : parts[2]);
        }
        String alg = data.pickValue(List.of("HS256", "HS384", "HS512"));
        String header = b64("{\"alg\":\"" + alg + "\",\"kid\":\""
                + (parts[0].equals(OIDC_TOKEN.split("\\.")[0]) ? "k1" : ISSUER.keys().active().getKeyID()) + "\"}");
        byte[] secret = switch (data.consumeInt(0, 2)) {
            case 0 -> IDP_KEY.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
            case 1 -> publicDer();
            default -> ISSUER.keys().active().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        };
        return header + "." + parts[1] + "." + hmac(JWSAlgorithm.parse(alg), secret, header + "." + parts[1]);
    }

    private static byte[] publicDer() {
        try {
            return IDP_KEY.toRSAPublicKey().getEncoded();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmac(JWSAlgorithm alg, byte[] secret, String signingInput) {
        try {
            return new MACSigner(secret).sign(new JWSHeader(alg), signingInput.getBytes(StandardCharsets.US_ASCII))
                    .toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A real token with its header, payload or signature replaced. */
    private static String forged(FuzzedDataProvider data) {
        String base = data.pickValue(List.of(OIDC_TOKEN, DELEGATED_TOKEN, UPSTREAM_TOKEN));
        String[] parts = base.split("\\.");
        String header = switch (data.consumeInt(0, 2)) {
            case 0 -> parts[0];
            case 1 -> b64(header(data));
            default -> b64(fuzzJson(data));
        };
        String payload = switch (data.consumeInt(0, 2)) {
            case 0 -> parts[1];
            case 1 -> b64(data.consumeString(200));
            default -> b64(fuzzJson(data));
        };
        String signingInput = header + "." + payload;
        String signature = switch (data.consumeInt(0, 4)) {
            case 0 -> parts[2];
            case 1 -> "";
            case 2 -> Base64URL.encode(data.consumeBytes(300)).toString();
            case 3 -> attackerSignature(signingInput);
            default -> hmac(JWSAlgorithm.HS256, publicDer(), signingInput);
        };
        String token = signingInput + (data.consumeBoolean() ? "." + signature : "");
        return data.consumeBoolean() ? token : token + data.pickValue(List.of(".", "..x", ".e30", " ", "\n"));
    }

    private static String header(FuzzedDataProvider data) {
        StringBuilder h = new StringBuilder("{\"alg\":\"").append(data.pickValue(ALGS)).append('"');
        switch (data.consumeInt(0, 3)) {
            case 0 -> h.append(",\"kid\":\"k1\"");
            case 1 -> h.append(",\"kid\":\"").append("k".repeat(data.consumeInt(1, 100_000))).append('"');
            case 2 -> h.append(",\"kid\":{\"kid\":[\"k1\",{\"x\":").append("[".repeat(data.consumeInt(0, 3000)))
                    .append("]".repeat(data.consumeInt(0, 3000))).append("}]}");
            default -> { }
        }
        if (data.consumeBoolean()) {
            h.append(",\"jwk\":").append(ATTACKER_KEY.toPublicJWK().toJSONString());
        }
        if (data.consumeBoolean()) {
            h.append(",\"jku\":\"https://evil.example.com/jwks\",\"x5u\":\"https://evil.example.com/x5\"");
        }
        if (data.consumeBoolean()) {
            h.append(",\"crit\":[\"b64\"],\"b64\":false");
        }
        if (data.consumeBoolean()) {
            h.append(",\"typ\":\"").append(data.pickValue(List.of("gatehouse-delegated+jwt", "JWT", "at+jwt")))
                    .append('"');
        }
        return h.append('}').toString();
    }

    private static String fuzzJson(FuzzedDataProvider data) {
        StringBuilder b = new StringBuilder();
        int n = data.consumeInt(0, 40);
        for (int i = 0; i < n; i++) {
            b.append(data.consumeBoolean() ? data.pickValue(PIECES) : data.consumeString(6));
        }
        return b.toString();
    }

    private static String attackerSignature(String signingInput) {
        try {
            return new ECDSASigner(ATTACKER_KEY).sign(new JWSHeader(JWSAlgorithm.ES256),
                    signingInput.getBytes(StandardCharsets.US_ASCII)).toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

}
