package dev.gatehouse.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.gatehouse.authn.oidc.OidcAuthenticator;
import dev.gatehouse.authn.oidc.OidcIssuerConfig;
import dev.gatehouse.identity.Identity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/** Sign-in against a real OIDC server (mock-oauth2-server): code + PKCE, then the gateway's own verification. */
class OidcSignInTest {
    static MockOAuth2Server idp;
    static Vertx vertx;
    static OidcIssuerConfig issuer;
    static OidcSignIn signIn;
    final UiSessions sessions = new UiSessions(UiSettings.defaults(), java.time.Clock.systemUTC());

    @BeforeAll
    static void start() throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("no.nav"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        idp = new MockOAuth2Server();
        idp.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
        vertx = Vertx.vertx();
        issuer = OidcIssuerConfig.builder("authentication.oidc[0]").issuerUrl(idp.issuerUrl("demo").toString())
                .audiences(List.of("gatehouse")).usernamePrefix("demo:").build();
        signIn = new OidcSignIn(vertx, issuer, "gatehouse", List.of("openid", "offline_access"),
                OidcAuthenticator.union(vertx, List.of(issuer)));
    }

    @AfterAll
    static void stop() throws Exception {
        idp.shutdown();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theChallengeIsRfc7636s() {
        assertThat(OidcSignIn.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void signsInWithTheCodeAndVerifiesTheIdTokenAndItsNonce() throws Exception {
        UiSessions.SignIn started = sessions.startSignIn("browser", "https://gw.example/ui/callback");
        String url = await(signIn.authorizationUrl(started));
        assertThat(url).startsWith(idp.authorizationEndpointUrl("demo").toString())
                .contains("code_challenge=" + OidcSignIn.challenge(started.verifier()))
                .contains("code_challenge_method=S256").contains("state=" + started.state())
                .contains("nonce=" + started.nonce()).contains("scope=openid").doesNotContain("offline_access")
                .doesNotContain(started.verifier());
        Map.Entry<Identity, String> done = await(signIn.finish(started, code(url)));
        assertThat(done.getKey().user()).startsWith("demo:");
        assertThat(done.getKey().issuer()).isEqualTo(issuer.issuerUrl());
    }

    @Test
    void refusesAnIdTokenWithAnotherSignInsNonce() throws Exception {
        UiSessions.SignIn started = sessions.startSignIn("browser", "https://gw.example/ui/callback");
        String url = await(signIn.authorizationUrl(started));
        UiSessions.SignIn other = new UiSessions.SignIn(started.state(), started.browser(), "another-nonce",
                started.verifier(), started.redirectUri(), started.started());
        assertThatThrownBy(() -> await(signIn.finish(other, code(url)))).hasMessageContaining("nonce");
    }

    /** mock-oauth2-server answers any code with a token; the nonce is what ties the token to this sign-in. */
    @Test
    void refusesATokenForACodeThisSignInDidNotGet() {
        UiSessions.SignIn started = sessions.startSignIn("browser", "https://gw.example/ui/callback");
        assertThatThrownBy(() -> await(signIn.finish(started, "not-a-code")))
                .isInstanceOf(OidcSignIn.SignInException.class).hasMessageContaining("nonce");
    }

    /** What the browser brings back: the code in the redirect the IdP answers the authorization request with. */
    private static String code(String authorizationUrl) throws Exception {
        try (HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
            HttpResponse<String> r = browser.send(HttpRequest.newBuilder(URI.create(authorizationUrl))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            String location = r.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
                    r.statusCode() + " " + r.body()));
            assertThat(location).startsWith("https://gw.example/ui/callback?");
            return java.util.Arrays.stream(URI.create(location).getRawQuery().split("&"))
                    .filter(p -> p.startsWith("code=")).findFirst().orElseThrow().substring(5);
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }
}
