package dev.gatehouse.authn.serviceaccount;

import static dev.gatehouse.authn.oidc.TestTokens.authenticate;
import static dev.gatehouse.authn.oidc.TestTokens.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.AuthenticationResult.Authenticated;
import dev.gatehouse.authn.AuthenticationResult.Rejected;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.authn.Credential;
import dev.gatehouse.authn.oidc.TestTokens;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

class ServiceAccountAuthenticatorTest {
    static final String SA_ISSUER = "https://kubernetes.default.svc.cluster.local";
    static final String OK_STATUS = """
            {"authenticated":true,"audiences":["gatehouse"],"user":{"username":"system:serviceaccount:ci:deployer",
             "uid":"7f1c","groups":["system:serviceaccounts","system:serviceaccounts:ci"],
             "extra":{"authentication.kubernetes.io/pod-name":["runner-1"],
                      "authentication.kubernetes.io/credential-id":["JTI=abc-123"]}}}""";

    @TempDir
    Path dir;
    Vertx vertx;
    FakeTokenReviewServer apiserver;
    Path gatewayToken;
    Instant exp = Instant.now().plusSeconds(3600);

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        apiserver = new FakeTokenReviewServer(vertx, dir);
        gatewayToken = Files.writeString(dir.resolve("gateway.token"), "gateway-secret\n");
    }

    @AfterEach
    void stop() {
        apiserver.close();
        await(vertx.close());
    }

    String saToken(String issuer) {
        return TestTokens.sign(TestTokens.ecKey("sa"), TestTokens.claims(issuer, "gatehouse",
                "system:serviceaccount:ci:deployer", Instant.now()).expirationTime(java.util.Date.from(exp)).build());
    }

    ServiceAccountConfig config(List<String> audiences, Duration ttl) {
        return new ServiceAccountConfig("authentication.serviceAccounts[0]", "prod", apiserver.url(), apiserver.caFile,
                gatewayToken, null, null, audiences, null, "", ttl);
    }

    @Test
    void acceptsATokenTheClusterReviewsAsAuthenticated() {
        String token = saToken(SA_ISSUER);
        apiserver.statusByToken.put(token, OK_STATUS);
        Authenticator authenticator = ServiceAccountAuthenticator.cached(vertx, config(List.of("gatehouse"), Duration.ofSeconds(10)));

        AuthenticationResult result = authenticate(authenticator, token);

        Identity id = ((Authenticated) result).identity();
        assertThat(id.user()).isEqualTo("system:serviceaccount:ci:deployer");
        assertThat(id.uid()).isEqualTo("7f1c");
        assertThat(id.groups()).containsExactly("system:serviceaccounts", "system:serviceaccounts:ci");
        assertThat(id.issuer()).isEqualTo("cluster:prod");
        assertThat(id.method()).isEqualTo(AuthenticationMethod.SERVICE_ACCOUNT);
        assertThat(id.attributes()).containsEntry("authentication.kubernetes.io/pod-name", "runner-1");
        assertThat(id.credentialId()).isEqualTo("JTI=abc-123");
        assertThat(id.expiresAt()).isEqualTo(exp.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(apiserver.authorizations).containsExactly("Bearer gateway-secret");
        assertThat(apiserver.reviews.get(0).path("spec").path("audiences").get(0).asText()).isEqualTo("gatehouse");
    }

    @Test
    void reusesAReviewWithinTheCacheTtl() {
        String token = saToken(SA_ISSUER);
        apiserver.statusByToken.put(token, OK_STATUS);
        Authenticator authenticator = ServiceAccountAuthenticator.cached(vertx, config(List.of("gatehouse"), Duration.ofSeconds(10)));
        authenticate(authenticator, token);
        authenticate(authenticator, token);
        assertThat(apiserver.reviews).hasSize(1);
    }

    @Test
    void refusesATokenTheClusterDoesNotAccept() {
        AuthenticationResult result = authenticate(
                ServiceAccountAuthenticator.cached(vertx, config(List.of(), Duration.ZERO)), saToken(SA_ISSUER));
        assertThat(result).isInstanceOf(Rejected.class);
        assertThat(((Rejected) result).reason()).contains("did not accept");
    }

    @Test
    void refusesATokenForAnotherAudience() {
        String token = saToken(SA_ISSUER);
        apiserver.statusByToken.put(token, OK_STATUS.replace("[\"gatehouse\"]", "[\"vault\"]"));
        AuthenticationResult result = authenticate(
                ServiceAccountAuthenticator.cached(vertx, config(List.of("gatehouse"), Duration.ZERO)), token);
        assertThat(((Rejected) result).reason()).contains("audience");
    }

    @Test
    void refusesAnIdentityWithControlCharacters() {
        String token = saToken(SA_ISSUER);
        apiserver.statusByToken.put(token, OK_STATUS.replace("runner-1", "runner\\r\\nX: y"));
        AuthenticationResult result = authenticate(
                ServiceAccountAuthenticator.cached(vertx, config(List.of("gatehouse"), Duration.ZERO)), token);
        assertThat(((Rejected) result).reason()).contains("cannot be carried in a header");
    }

    @Test
    void abstainsOnTokensOfOtherIssuersWithoutCallingTheCluster() {
        AuthenticationResult result = authenticate(
                ServiceAccountAuthenticator.cached(vertx, config(List.of(), Duration.ZERO)),
                saToken("https://idp.example.com"));
        assertThat(result).isInstanceOf(AuthenticationResult.Abstain.class);
        assertThat(authenticate(ServiceAccountAuthenticator.cached(vertx, config(List.of(), Duration.ZERO)),
                "opaque-token")).isInstanceOf(AuthenticationResult.Abstain.class);
        assertThat(apiserver.reviews).isEmpty();
    }

    @Test
    void answersUnavailableWhenTheGatewayMayNotReview() {
        apiserver.failWith = 403;
        Future<AuthenticationResult> result = ServiceAccountAuthenticator.cached(vertx, config(List.of(), Duration.ZERO))
                .authenticate(new Credential(saToken(SA_ISSUER)));
        assertThatThrownBy(() -> await(result)).hasRootCauseMessage(
                "cluster prod cannot review service-account tokens now; try again later");
    }

    @Test
    void refusesAConfigWithoutCredentialNamingTheKey() {
        assertThatThrownBy(() -> new ServiceAccountConfig("authentication.serviceAccounts[2]", "prod",
                "https://10.0.0.1:6443", null, null, null, null, List.of(), null, "", Duration.ofSeconds(5)))
                .hasMessageStartingWith("authentication.serviceAccounts[2]: no credential");
        assertThatThrownBy(() -> ServiceAccountConfig.withToken("authentication.serviceAccounts[0]", "prod",
                "http://10.0.0.1:8080", null, gatewayToken, List.of()))
                .hasMessageStartingWith("authentication.serviceAccounts[0].apiServerUrl: http://10.0.0.1:8080");
    }
}
