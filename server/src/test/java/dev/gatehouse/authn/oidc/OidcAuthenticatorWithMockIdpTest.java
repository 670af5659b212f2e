package dev.gatehouse.authn.oidc;

import static dev.gatehouse.authn.oidc.TestTokens.authenticate;
import static dev.gatehouse.authn.oidc.TestTokens.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.AuthenticationResult.Authenticated;
import dev.gatehouse.authn.AuthenticationResult.Rejected;
import dev.gatehouse.authn.UnionAuthenticator;
import io.vertx.core.Vertx;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/** Against a real OIDC provider in-process (mock-oauth2-server): discovery, JWKS over HTTP, real tokens. */
class OidcAuthenticatorWithMockIdpTest {
    static MockOAuth2Server idp;
    static Vertx vertx;

    @BeforeAll
    static void start() throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("no.nav"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        idp = new MockOAuth2Server();
        idp.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        idp.shutdown();
        await(vertx.close());
    }

    static OidcIssuerConfig config(String issuerId, String prefix) {
        return OidcIssuerConfig.builder("authentication.oidc[0]").issuerUrl(idp.issuerUrl(issuerId).toString())
                .audiences(List.of("gatehouse")).usernamePrefix(prefix).build();
    }

    static String token(String issuerId, String subject, List<String> audience, Map<String, Object> claims) {
        return idp.issueToken(issuerId, "kubectl", new DefaultOAuth2TokenCallback(issuerId, subject, "JWT",
                audience, claims, 300)).serialize();
    }

    @Test
    void verifiesARealIdpTokenThroughDiscoveryAndJwks() {
        OidcAuthenticator authenticator = OidcAuthenticator.of(vertx, config("corp", "corp:"));
        String token = token("corp", "alice", List.of("gatehouse"), Map.of("groups", List.of("developers")));

        AuthenticationResult result = authenticate(authenticator, token);

        assertThat(result).isInstanceOf(Authenticated.class);
        assertThat(((Authenticated) result).identity().user()).isEqualTo("corp:alice");
        assertThat(((Authenticated) result).identity().groups()).containsExactly("corp:developers");
    }

    @Test
    void refusesARealIdpTokenForAnotherAudience() {
        OidcAuthenticator authenticator = OidcAuthenticator.of(vertx, config("corp", "corp:"));
        String token = token("corp", "alice", List.of("some-other-app"), Map.of());
        assertThat(authenticate(authenticator, token)).isInstanceOf(Rejected.class);
    }

    @Test
    void routesTokensOfTwoIssuersToTheirOwnAuthenticator() {
        UnionAuthenticator union = OidcAuthenticator.union(vertx,
                List.of(config("corp", "corp:"), config("ci", "ci:")));
        Authenticated corp = (Authenticated) authenticate(union, token("corp", "alice", List.of("gatehouse"), Map.of()));
        Authenticated ci = (Authenticated) authenticate(union, token("ci", "alice", List.of("gatehouse"), Map.of()));
        assertThat(corp.identity().user()).isEqualTo("corp:alice");
        assertThat(ci.identity().user()).isEqualTo("ci:alice");
        assertThat(corp.identity().issuer()).isNotEqualTo(ci.identity().issuer());
    }

    @Test
    void refusesATokenSignedByAnotherIssuersKeyButClaimingThisIssuer() {
        // "ci" and "corp" have different keys in mock-oauth2-server: re-sign ci's claims as if from corp.
        String issuerUrl = idp.issuerUrl("corp").toString();
        OidcAuthenticator authenticator = new OidcAuthenticator(config("corp", "corp:"),
                JwksCache.of(HttpJwksFetcher.of(vertx, config("corp", "corp:"))), Clock.systemUTC());
        String forged = idp.issueToken("ci", "kubectl", new DefaultOAuth2TokenCallback("ci", "mallory", "JWT",
                List.of("gatehouse"), Map.of(), 300)).serialize();
        String[] parts = forged.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]))
                .replace(idp.issuerUrl("ci").toString(), issuerUrl);
        String reissued = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes()) + "." + parts[2];
        assertThat(authenticate(authenticator, reissued)).isInstanceOf(Rejected.class);
    }

    @Test
    void warmsUpByFetchingKeysBeforeTheFirstRequest() {
        OidcAuthenticator authenticator = OidcAuthenticator.of(vertx, config("warm", "warm:"));
        await(authenticator.warmUp());
        assertThat(authenticate(authenticator, token("warm", "bob", List.of("gatehouse"), Map.of())))
                .isInstanceOf(Authenticated.class);
    }
}
