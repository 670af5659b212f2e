package dev.gatehouse.sandbox.idp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.Credential;
import dev.gatehouse.authn.oidc.OidcAuthenticator;
import io.vertx.core.Vertx;

class SandboxIdentityProviderTest {
    @TempDir
    Path dir;

    @Test
    void issuesTokensTheGatewayAcceptsWithTheUsersGroups() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (SandboxIdentityProvider idp = SandboxIdentityProvider.start(0, DemoUser.defaults(), dir)) {
            OidcAuthenticator authenticator = OidcAuthenticator.of(vertx, idp.issuerConfig("authentication.oidc[0]"));
            AuthenticationResult result = authenticator.authenticate(new Credential(idp.idToken("bob", 300)))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            var identity = ((AuthenticationResult.Authenticated) result).identity();
            assertThat(identity.user()).isEqualTo("demo:bob");
            assertThat(identity.groups()).containsExactly("demo:sre", "demo:developers");
            assertThat(identity.attributes()).containsEntry("email", "bob@demo.gatehouse.dev");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void showsALoginPageWithTheDemoUsers() throws Exception {
        try (SandboxIdentityProvider idp = SandboxIdentityProvider.start(0, DemoUser.defaults(), dir)) {
            String authorize = idp.issuerUrl() + "/authorize?client_id=gatehouse&response_type=code&scope=openid"
                    + "&redirect_uri=http://127.0.0.1:1/cb&state=s";
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(authorize))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).contains("Sign in as alice (developers)").contains("Sign in as bob");
        }
    }
}
