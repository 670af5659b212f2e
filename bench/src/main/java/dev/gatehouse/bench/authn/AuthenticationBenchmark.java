package dev.gatehouse.bench.authn;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.authn.Credential;
import dev.gatehouse.authn.cache.CachingAuthenticator;
import dev.gatehouse.authn.cache.VerifiedTokenCache;
import dev.gatehouse.authn.oidc.JwksCache;
import dev.gatehouse.authn.oidc.OidcAuthenticator;
import dev.gatehouse.authn.oidc.OidcIssuerConfig;
import io.vertx.core.Future;

/**
 * Authentication costs, each against the same-run baseline {@code nimbusRs256SignatureOnly} (the bare RSA
 * signature check in the JDK's provider, the issue's reference figure) and {@code acceleratedRs256SignatureOnly}
 * (the same check in Amazon Corretto Crypto Provider, which {@code JoseCrypto} gives the authenticators):
 * <ul>
 *   <li>{@code oidcRs256} / {@code oidcEs256}: a full check by {@link OidcAuthenticator} (parse, route by iss,
 *       key lookup, signature, claims, identity mapping), no cache;</li>
 *   <li>{@code firstSeenRs256}: the same behind the {@link CachingAuthenticator} when the token is new
 *       (digest, miss, full check, store) — every call presents a token not in the cache;</li>
 *   <li>{@code repeatedToken}: a token already in the cache.</li>
 * </ul>
 * Run: {@code java -cp <bench classpath> org.openjdk.jmh.Main AuthenticationBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class AuthenticationBenchmark {
    static final String ISSUER = "https://idp.example.com";
    static final int TOKENS = 256;

    String[] rsaTokens;
    String[] ecTokens;
    SignedJWT parsedRsa;
    RSASSAVerifier rsaVerifier;
    RSASSAVerifier acceleratedRsaVerifier;
    Authenticator rsaAuthenticator;
    Authenticator ecAuthenticator;
    Authenticator firstSeen;
    Authenticator cached;
    int next;

    @Setup
    public void setUp() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec").generate();
        rsaTokens = new String[TOKENS];
        ecTokens = new String[TOKENS];
        for (int i = 0; i < TOKENS; i++) {
            rsaTokens[i] = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa").build(), claims(i), rsa);
            ecTokens[i] = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec").build(), claims(i), ec);
        }
        parsedRsa = SignedJWT.parse(rsaTokens[0]);
        rsaVerifier = new RSASSAVerifier(rsa.toRSAPublicKey());
        acceleratedRsaVerifier = new RSASSAVerifier(rsa.toRSAPublicKey());
        acceleratedRsaVerifier.getJCAContext().setProvider(
                com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE);
        OidcIssuerConfig config = OidcIssuerConfig.builder("authentication.oidc[0]").issuerUrl(ISSUER)
                .audiences(List.of("gatehouse")).usernamePrefix("corp:").build();
        JwksCache keys = JwksCache.preloaded(new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())),
                () -> Future.failedFuture("no refetch"), Duration.ofSeconds(10));
        rsaAuthenticator = new OidcAuthenticator(config, keys, Clock.systemUTC());
        ecAuthenticator = rsaAuthenticator;
        // A cache of one entry: each of the 256 tokens in turn is new to it, so every call takes the miss path.
        firstSeen = new CachingAuthenticator(rsaAuthenticator, new VerifiedTokenCache(1, Duration.ofMinutes(5), Clock.systemUTC()));
        cached = new CachingAuthenticator(rsaAuthenticator, new VerifiedTokenCache(10_000, Duration.ofMinutes(5), Clock.systemUTC()));
        if (!(result(cached, rsaTokens[0]) instanceof AuthenticationResult.Authenticated)
                || !(result(ecAuthenticator, ecTokens[0]) instanceof AuthenticationResult.Authenticated)) {
            throw new IllegalStateException("benchmark tokens do not verify");
        }
    }

    private static JWTClaimsSet claims(int i) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience("gatehouse").subject("user-" + i)
                .claim("groups", List.of("developers", "sre")).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(2)))).jwtID(UUID.randomUUID().toString()).build();
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, Object key) throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key));
        return jwt.serialize();
    }

    private static AuthenticationResult result(Authenticator a, String token) {
        Future<AuthenticationResult> f = a.authenticate(new Credential(token));
        if (!f.isComplete()) {
            throw new IllegalStateException("expected a synchronous answer with keys loaded");
        }
        return f.result();
    }

    private String nextRsa() {
        next = (next + 1) & (TOKENS - 1);
        return rsaTokens[next];
    }

    @Benchmark
    public boolean nimbusRs256SignatureOnly() throws JOSEException {
        return parsedRsa.verify(rsaVerifier);
    }

    /** The same bare check in Amazon Corretto Crypto Provider, which the authenticators use (JoseCrypto). */
    @Benchmark
    public boolean acceleratedRs256SignatureOnly() throws JOSEException {
        return parsedRsa.verify(acceleratedRsaVerifier);
    }

    @Benchmark
    public AuthenticationResult oidcRs256() {
        return result(rsaAuthenticator, nextRsa());
    }

    @Benchmark
    public AuthenticationResult oidcEs256() {
        next = (next + 1) & (TOKENS - 1);
        return result(ecAuthenticator, ecTokens[next]);
    }

    @Benchmark
    public AuthenticationResult firstSeenRs256() {
        return result(firstSeen, nextRsa());
    }

    @Benchmark
    public AuthenticationResult repeatedToken() {
        return result(cached, rsaTokens[0]);
    }
}
