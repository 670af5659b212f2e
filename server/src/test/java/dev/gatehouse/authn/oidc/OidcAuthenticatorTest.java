package dev.gatehouse.authn.oidc;

import static dev.gatehouse.authn.oidc.TestTokens.authenticate;
import static dev.gatehouse.authn.oidc.TestTokens.claims;
import static dev.gatehouse.authn.oidc.TestTokens.sign;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.AuthenticationResult.Authenticated;
import dev.gatehouse.authn.AuthenticationResult.Rejected;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import io.vertx.core.Future;

class OidcAuthenticatorTest {
    static final String ISSUER = "https://idp.example.com";
    static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");

    final RSAKey key = TestTokens.rsaKey("k1");
    final AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(key.toPublicJWK()));
    final AtomicInteger fetches = new AtomicInteger();
    final MutableClock clock = new MutableClock(NOW);
    final JwksCache cache = new JwksCache(() -> {
        fetches.incrementAndGet();
        return Future.succeededFuture(published.get());
    }, Duration.ofSeconds(10), Duration.ofHours(1), () -> clock.instant().toEpochMilli() * 1_000_000L);

    OidcIssuerConfig config = OidcIssuerConfig.builder("authentication.oidc[0]").issuerUrl(ISSUER)
            .audiences(List.of("gatehouse")).usernamePrefix("corp:")
            .attributeClaims(Map.of("department", "dept")).build();

    OidcAuthenticator authenticator() {
        return new OidcAuthenticator(config, cache, clock);
    }

    JWTClaimsSet.Builder valid() {
        return claims(ISSUER, "gatehouse", "alice", NOW).claim("groups", List.of("dev", "ops")).claim("dept", "R&D");
    }

    @Test
    void mapsAValidTokenToAPrefixedIdentity() {
        JWTClaimsSet claims = valid().build();
        AuthenticationResult result = authenticate(authenticator(), sign(key, claims));

        assertThat(result).isInstanceOf(Authenticated.class);
        Identity id = ((Authenticated) result).identity();
        assertThat(id.user()).isEqualTo("corp:alice");
        assertThat(id.uid()).isEqualTo("alice");
        assertThat(id.groups()).containsExactly("corp:dev", "corp:ops");
        assertThat(id.issuer()).isEqualTo(ISSUER);
        assertThat(id.method()).isEqualTo(AuthenticationMethod.OIDC);
        assertThat(id.attributes()).containsEntry("department", "R&D");
        assertThat(id.credentialId()).isEqualTo("jti:" + claims.getJWTID());
        assertThat(id.expiresAt()).isEqualTo(NOW.plusSeconds(600));
    }

    @Test
    void abstainsOnTokensOfAnotherIssuer() {
        String token = sign(key, claims("https://other.example.com", "gatehouse", "alice", NOW).build());
        assertThat(authenticate(authenticator(), token)).isInstanceOf(AuthenticationResult.Abstain.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-jwt", "eyJhbGciOi.bad", "ey"})
    void abstainsOnStringsThatAreNotJwts(String token) {
        assertThat(authenticate(authenticator(), token)).isInstanceOf(AuthenticationResult.Abstain.class);
    }

    @Test
    void refusesAnExpiredToken() {
        String token = sign(key, valid().build());
        clock.advance(Duration.ofSeconds(600 + 31));
        assertRejected(token, "Expired JWT");
    }

    @Test
    void acceptsATokenJustExpiredWithinTheClockSkew() {
        String token = sign(key, valid().build());
        clock.advance(Duration.ofSeconds(600 + 20));
        assertThat(authenticate(authenticator(), token)).isInstanceOf(Authenticated.class);
    }

    @Test
    void refusesATokenNotYetValid() {
        String token = sign(key, valid().notBeforeTime(Date.from(NOW.plusSeconds(120))).build());
        assertRejected(token, "before use time");
    }

    @Test
    void refusesATokenIssuedInTheFuture() {
        String token = sign(key, valid().issueTime(Date.from(NOW.plusSeconds(120))).build());
        assertRejected(token, "issued in the future");
    }

    @Test
    void refusesATokenWithoutExpiry() {
        String token = sign(key, valid().expirationTime(null).build());
        assertRejected(token, "exp");
    }

    @Test
    void refusesAWrongAudience() {
        String token = sign(key, valid().audience("another-app").build());
        assertRejected(token, "aud claim rejected");
    }

    @Test
    void refusesAlgNone() {
        String token = new PlainJWT(valid().build()).serialize();
        assertRejected(token, "alg none");
    }

    @Test
    void refusesHmacSignedWithThePublicKey() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), valid().build());
        jwt.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
        assertRejected(jwt.serialize(), "HS256 is not allowed");
    }

    @Test
    void refusesATamperedPayload() {
        String token = sign(key, valid().build());
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"alice\"", "\"admin\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];
        assertRejected(forged, "signature does not verify");
    }

    @Test
    void refusesATokenSignedByAnUnknownKeyAfterOneRefetch() {
        String token = sign(TestTokens.rsaKey("attacker"), valid().build());
        OidcAuthenticator authenticator = authenticator();
        assertRejected(authenticator, token, "signature does not verify");
        assertRejected(authenticator, token, "signature does not verify");
        assertThat(fetches.get()).as("refetch on unknown kid is rate-bounded").isEqualTo(1);
    }

    @Test
    void picksUpARotatedKeyWithoutDowntime() {
        OidcAuthenticator authenticator = authenticator();
        String before = sign(key, valid().build());
        assertThat(authenticate(authenticator, before)).isInstanceOf(Authenticated.class);
        int fetchesBefore = fetches.get();

        clock.advance(Duration.ofSeconds(11)); // rotation happens some time after start-up
        RSAKey next = TestTokens.rsaKey("k2");
        published.set(new JWKSet(List.of(key.toPublicJWK(), next.toPublicJWK())));
        String after = sign(next, valid().build());
        assertThat(authenticate(authenticator, after)).isInstanceOf(Authenticated.class);
        assertThat(authenticate(authenticator, before)).as("old key still published").isInstanceOf(Authenticated.class);
        assertThat(fetches.get()).isEqualTo(fetchesBefore + 1);

        published.set(new JWKSet(next.toPublicJWK()));
        clock.advance(Duration.ofSeconds(11));
        assertThat(authenticate(authenticator, sign(TestTokens.rsaKey("k3"), valid().build())))
                .isInstanceOf(Rejected.class);
        assertRejected(authenticator, sign(key, valid().issueTime(Date.from(clock.instant())).build()),
                "signature does not verify");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice\r\nImpersonate-User: admin", "alice\u0000", "alice\n", "ålice", " alice"})
    void refusesUsernamesThatCannotBeCarriedInAHeader(String subject) {
        String token = sign(key, valid().subject(subject).build());
        assertRejected(token, "cannot be carried in a header");
    }

    @Test
    void refusesControlCharactersInGroupsAndAttributes() {
        assertRejected(sign(key, valid().claim("groups", List.of("dev\r\nx")).build()), "'groups'");
        assertRejected(sign(key, valid().claim("dept", "a\u0000b").build()), "'dept'");
    }

    @Test
    void refusesATokenMissingARequiredClaim() {
        config = OidcIssuerConfig.builder("authentication.oidc[0]").issuerUrl(ISSUER).audiences(List.of("gatehouse"))
                .usernamePrefix("corp:").requiredClaims(Map.of("repository_owner", "acme")).build();
        assertRejected(sign(key, valid().build()), "required claim 'repository_owner'");
        assertRejected(sign(key, valid().claim("repository_owner", "evil").build()), "required claim");
        assertThat(authenticate(authenticator(), sign(key, valid().claim("repository_owner", "acme").build())))
                .isInstanceOf(Authenticated.class);
    }

    @Test
    void refusesAnUnverifiedEmailAsUsername() {
        config = OidcIssuerConfig.builder("authentication.oidc[0]").issuerUrl(ISSUER).audiences(List.of("gatehouse"))
                .usernameClaim("email").build();
        assertRejected(sign(key, valid().claim("email", "a@example.com").claim("email_verified", false).build()),
                "not verified");
        AuthenticationResult ok = authenticate(authenticator(),
                sign(key, valid().claim("email", "a@example.com").claim("email_verified", true).build()));
        assertThat(((Authenticated) ok).identity().user()).isEqualTo("a@example.com");
    }

    @Test
    void refusesANonStringUsername() {
        config = OidcIssuerConfig.builder("authentication.oidc[0]").issuerUrl(ISSUER).audiences(List.of("gatehouse"))
                .usernameClaim("preferred_username").usernamePrefix("corp:").build();
        assertRejected(sign(key, valid().claim("preferred_username", List.of("a", "b")).build()), "not a string");
    }

    @Test
    void mapsGithubActionsClaimsToCiAttributes() {
        config = OidcIssuerConfig.builder("authentication.oidc[1]").kind(OidcIssuerKind.GITHUB_ACTIONS)
                .issuerUrl(ISSUER).audiences(List.of("gatehouse")).usernamePrefix("github:").build();
        String token = sign(key, claims(ISSUER, "gatehouse", "repo:acme/web:ref:refs/heads/main", NOW)
                .claim("repository", "acme/web").claim("ref", "refs/heads/main").claim("workflow", "deploy")
                .claim("run_id", "42").build());
        Identity id = ((Authenticated) authenticate(authenticator(), token)).identity();
        assertThat(id.user()).isEqualTo("github:repo:acme/web:ref:refs/heads/main");
        assertThat(id.groups()).isEmpty();
        assertThat(id.attributes()).containsEntry("ci.repository", "acme/web").containsEntry("ci.ref", "refs/heads/main")
                .containsEntry("ci.workflow", "deploy").containsEntry("ci.run-id", "42");
    }

    @Test
    void mapsGitlabCiClaimsToTheSameCiAttributes() {
        // the claims of a GitLab CI_JOB_JWT_V2 / id_tokens token (docs.gitlab.com: ci/secrets/id_token_authentication)
        config = OidcIssuerConfig.builder("authentication.oidc[2]").kind(OidcIssuerKind.GITLAB_CI)
                .issuerUrl(ISSUER).audiences(List.of("gatehouse")).usernamePrefix("gitlab:").build();
        String token = sign(key, claims(ISSUER, "gatehouse", "project_path:acme/web:ref_type:branch:ref:main", NOW)
                .claim("namespace_path", "acme").claim("project_path", "acme/web").claim("ref", "main")
                .claim("ref_type", "branch").claim("ref_protected", "true").claim("sha", "a1b2c3")
                .claim("user_login", "dana").claim("pipeline_source", "push").claim("pipeline_id", "1001")
                .claim("job_id", "2002").claim("environment", "production").claim("groups", List.of("admins"))
                .build());
        Identity id = ((Authenticated) authenticate(authenticator(), token)).identity();
        assertThat(id.user()).isEqualTo("gitlab:project_path:acme/web:ref_type:branch:ref:main");
        assertThat(id.groups()).as("a CI token claims no groups, whatever it carries").isEmpty();
        assertThat(id.attributes()).containsEntry("ci.repository", "acme/web").containsEntry("ci.ref", "main")
                .containsEntry("ci.ref-type", "branch").containsEntry("ci.sha", "a1b2c3")
                .containsEntry("ci.actor", "dana").containsEntry("ci.event", "push")
                .containsEntry("ci.environment", "production").containsEntry("ci.pipeline-id", "1001")
                .containsEntry("ci.job-id", "2002");
    }

    @Test
    void neverPutsTheTokenIntoARejection() {
        String token = sign(key, valid().audience("x").build());
        Rejected r = (Rejected) authenticate(authenticator(), token);
        assertThat(r.reason()).doesNotContain(token).doesNotContain(token.split("\\.")[2]);
        assertThat(r.credentialId()).startsWith("jti:");
    }

    @Test
    void answersUnavailableWhenTheKeysWereNeverLoaded() {
        JwksCache broken = new JwksCache(() -> Future.failedFuture(new IllegalStateException("down")),
                Duration.ofSeconds(10), Duration.ofHours(1), System::nanoTime);
        OidcAuthenticator authenticator = new OidcAuthenticator(config, broken, clock);
        Future<AuthenticationResult> result = authenticator.authenticate(
                new dev.gatehouse.authn.Credential(sign(key, valid().build())));
        assertThat(result.failed()).isTrue();
        assertThat(result.cause()).hasMessageContaining("cannot be fetched");
    }

    private void assertRejected(String token, String reason) {
        assertRejected(authenticator(), token, reason);
    }

    private static void assertRejected(OidcAuthenticator authenticator, String token, String reason) {
        AuthenticationResult result = authenticate(authenticator, token);
        assertThat(result).isInstanceOf(Rejected.class);
        assertThat(((Rejected) result).reason()).contains(reason);
    }
}
