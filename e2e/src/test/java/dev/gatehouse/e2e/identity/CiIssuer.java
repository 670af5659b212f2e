package dev.gatehouse.e2e.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.Headers;

/**
 * A GitHub-Actions-style CI issuer on loopback: mock-oauth2-server at {@code http://127.0.0.1:<port>/gha}
 * serving discovery and a JWKS, minting job tokens (audience {@value #AUDIENCE}) with the claims GitHub puts
 * in them. Its signing keys are ours so that tests can rotate them the way an IdP does — publish the new key
 * beside the old one, sign with the new one, later retire the old one — and count the gateway's JWKS fetches.
 */
final class CiIssuer implements AutoCloseable {
    static final String ISSUER_ID = "gha";
    static final String AUDIENCE = "gatehouse-ci";
    static final String OWNER = "acme";

    private final Keys keys = new Keys();
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private volatile Instant lastJwksFetch = Instant.EPOCH;
    private final MockOAuth2Server server;

    private CiIssuer() {
        OAuth2Config config = new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(keys));
        server = new MockOAuth2Server(config, new JwksRoute());
    }

    static CiIssuer start() {
        CiIssuer issuer = new CiIssuer();
        try {
            issuer.server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the CI issuer", e);
        }
        return issuer;
    }

    String issuerUrl() {
        return server.issuerUrl(ISSUER_ID).toString();
    }

    /** The claims a GitHub Actions job token carries for a push to {@code ref} of {@code acme/<repo>}. */
    static Map<String, Object> jobClaims(String repo, String ref) {
        return Map.of("repository", OWNER + "/" + repo, "repository_owner", OWNER, "ref", ref,
                "sha", "8f2d6c1b0e4a7d93c5b1f0e2a6d4c8b7e9f1a3c5", "workflow", "deploy",
                "job_workflow_ref", OWNER + "/" + repo + "/.github/workflows/deploy.yml@" + ref,
                "actor", "octo-dev", "event_name", "push", "run_id", 4242L);
    }

    /** {@code repo:acme/<repo>:ref:<ref>}, GitHub's subject for such a job. */
    static String subject(String repo, String ref) {
        return "repo:" + OWNER + "/" + repo + ":ref:" + ref;
    }

    /** A job token as the issuer hands it out (signed with the current key). */
    String jobToken(String repo, String ref, long lifetimeSeconds) {
        return server.issueToken(ISSUER_ID, "github-actions", new DefaultOAuth2TokenCallback(ISSUER_ID,
                subject(repo, ref), "JWT", List.of(AUDIENCE), jobClaims(repo, ref), lifetimeSeconds)).serialize();
    }

    /** Signs arbitrary claims with the current key and its kid (for tokens the issuer would never mint). */
    String sign(JWTClaimsSet claims) {
        return sign(claims, keys.current);
    }

    static String sign(JWTClaimsSet claims, RSAKey key) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** Claims of a valid job token, to be changed by a test. */
    JWTClaimsSet.Builder validClaims(String repo, String ref) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(issuerUrl()).audience(AUDIENCE)
                .subject(subject(repo, ref)).issueTime(java.util.Date.from(now))
                .notBeforeTime(java.util.Date.from(now)).expirationTime(java.util.Date.from(now.plusSeconds(300)))
                .jwtID(java.util.UUID.randomUUID().toString());
        jobClaims(repo, ref).forEach(b::claim);
        return b;
    }

    /** The key tokens are signed with now. */
    RSAKey currentKey() {
        return keys.current;
    }

    /** Publishes a new key beside the old ones and signs with it from now on; returns it. */
    RSAKey rotate() {
        RSAKey next = Keys.newKey("ci-" + (keys.published.size() + 1));
        keys.published.add(next);
        keys.current = next;
        return next;
    }

    /** Stops publishing a key. */
    void retire(String kid) {
        keys.published.removeIf(k -> k.getKeyID().equals(kid));
    }

    /** How often the JWKS was fetched, and when last. */
    int jwksFetches() {
        return jwksFetches.get();
    }

    Instant lastJwksFetch() {
        return lastJwksFetch;
    }

    /** A fresh RSA key the issuer never published. */
    static RSAKey unpublishedKey(String kid) {
        return Keys.newKey(kid);
    }

    @Override
    public void close() {
        server.shutdown();
    }

    /** The issuer's keys: every published key verifies, the current one signs. */
    private static final class Keys extends KeyProvider {
        final List<RSAKey> published = new CopyOnWriteArrayList<>();
        volatile RSAKey current;

        Keys() {
            super(List.of(), JWSAlgorithm.RS256.getName());
            current = newKey("ci-1");
            published.add(current);
        }

        @Override
        public JWK signingKey(String issuerId) {
            return current;
        }

        static RSAKey newKey(String kid) {
            try {
                return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                        .generate();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Serves {@code /gha/jwks} with every published key (mock-oauth2-server alone publishes one). */
    private final class JwksRoute implements Route {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            return request.getUrl().encodedPath().equals("/" + ISSUER_ID + "/jwks");
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            jwksFetches.incrementAndGet();
            lastJwksFetch = Instant.now();
            String body = new JWKSet(List.<JWK>copyOf(keys.published)).toPublicJWKSet().toString();
            return new OAuth2HttpResponse(new Headers.Builder().add("Content-Type", "application/json").build(), 200,
                    body, null);
        }
    }
}
