package dev.gatehouse.authn.serviceaccount;

import static dev.gatehouse.authn.oidc.TestTokens.authenticate;
import static dev.gatehouse.authn.oidc.TestTokens.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.AuthenticationResult.Authenticated;
import dev.gatehouse.authn.AuthenticationResult.Rejected;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.authn.Credential;
import dev.gatehouse.authn.oidc.TestTokens;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import io.vertx.core.Future;

class ServiceAccountAuthenticatorTest {
    static final String SA_ISSUER = "https://kubernetes.default.svc.cluster.local";
    static final String OK_STATUS = """
            {"authenticated":true,"audiences":["gatehouse"],"user":{"username":"system:serviceaccount:ci:deployer",
             "uid":"7f1c","groups":["system:serviceaccounts","system:serviceaccounts:ci"],
             "extra":{"authentication.kubernetes.io/pod-name":["runner-1"],
                      "authentication.kubernetes.io/credential-id":["JTI=abc-123"]}}}""";

    /** The cluster's answers by token (unknown tokens: not authenticated), and every review asked. */
    final Map<String, String> statusByToken = new ConcurrentHashMap<>();
    final List<String> reviewed = new CopyOnWriteArrayList<>();
    final List<List<String>> audiencesAsked = new CopyOnWriteArrayList<>();
    volatile RuntimeException failWith;
    final TokenReviewer cluster = (token, audiences) -> {
        reviewed.add(token);
        audiencesAsked.add(audiences);
        if (failWith != null) {
            return Future.failedFuture(failWith);
        }
        String status = statusByToken.getOrDefault(token, "{\"authenticated\":false,\"error\":\"invalid bearer token\"}");
        return Future.succeededFuture(TokenReviewStatus.parse(("{\"status\":" + status + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    };
    Instant exp = Instant.now().plusSeconds(3600);

    String saToken(String issuer) {
        return TestTokens.sign(TestTokens.ecKey("sa"), TestTokens.claims(issuer, "gatehouse",
                "system:serviceaccount:ci:deployer", Instant.now()).expirationTime(java.util.Date.from(exp)).build());
    }

    ServiceAccountConfig config(List<String> audiences, Duration ttl) {
        return new ServiceAccountConfig("authentication.serviceAccounts[0]", "prod", audiences, null, "", ttl);
    }

    @Test
    void acceptsATokenTheClusterReviewsAsAuthenticated() {
        String token = saToken(SA_ISSUER);
        statusByToken.put(token, OK_STATUS);
        Authenticator authenticator = ServiceAccountAuthenticator.cached(
                config(List.of("gatehouse"), Duration.ofSeconds(10)), cluster);

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
        assertThat(reviewed).containsExactly(token);
        assertThat(audiencesAsked).containsExactly(List.of("gatehouse"));
    }

    @Test
    void reusesAReviewWithinTheCacheTtl() {
        String token = saToken(SA_ISSUER);
        statusByToken.put(token, OK_STATUS);
        Authenticator authenticator = ServiceAccountAuthenticator.cached(
                config(List.of("gatehouse"), Duration.ofSeconds(10)), cluster);
        authenticate(authenticator, token);
        authenticate(authenticator, token);
        assertThat(reviewed).hasSize(1);
    }

    @Test
    void refusesATokenTheClusterDoesNotAccept() {
        AuthenticationResult result = authenticate(
                ServiceAccountAuthenticator.cached(config(List.of(), Duration.ZERO), cluster), saToken(SA_ISSUER));
        assertThat(result).isInstanceOf(Rejected.class);
        assertThat(((Rejected) result).reason()).contains("did not accept");
    }

    @Test
    void refusesATokenForAnotherAudience() {
        String token = saToken(SA_ISSUER);
        statusByToken.put(token, OK_STATUS.replace("[\"gatehouse\"]", "[\"vault\"]"));
        AuthenticationResult result = authenticate(
                ServiceAccountAuthenticator.cached(config(List.of("gatehouse"), Duration.ZERO), cluster), token);
        assertThat(((Rejected) result).reason()).contains("audience");
    }

    @Test
    void refusesAnIdentityWithControlCharacters() {
        String token = saToken(SA_ISSUER);
        statusByToken.put(token, OK_STATUS.replace("runner-1", "runner\\r\\nX: y"));
        AuthenticationResult result = authenticate(
                ServiceAccountAuthenticator.cached(config(List.of("gatehouse"), Duration.ZERO), cluster), token);
        assertThat(((Rejected) result).reason()).contains("cannot be carried in a header");
    }

    @Test
    void abstainsOnTokensOfOtherIssuersWithoutCallingTheCluster() {
        AuthenticationResult result = authenticate(
                ServiceAccountAuthenticator.cached(config(List.of(), Duration.ZERO), cluster),
                saToken("https://idp.example.com"));
        assertThat(result).isInstanceOf(AuthenticationResult.Abstain.class);
        assertThat(authenticate(ServiceAccountAuthenticator.cached(config(List.of(), Duration.ZERO), cluster),
                "opaque-token")).isInstanceOf(AuthenticationResult.Abstain.class);
        assertThat(reviewed).isEmpty();
    }

    @Test
    void answersUnavailableWhenTheGatewayMayNotReview() {
        failWith = new IllegalStateException("cluster prod: the gateway's credential may not create TokenReviews (403)");
        Future<AuthenticationResult> result = ServiceAccountAuthenticator.cached(
                        config(List.of(), Duration.ZERO), cluster)
                .authenticate(new Credential(saToken(SA_ISSUER)));
        assertThatThrownBy(() -> await(result)).hasRootCauseMessage(
                "cluster prod cannot review service-account tokens now; try again later");
    }

    @Test
    void refusesABadCacheTtlNamingTheKey() {
        assertThatThrownBy(() -> new ServiceAccountConfig("authentication.serviceAccounts[2]", "prod", List.of(), null,
                "", Duration.ofMinutes(6)))
                .hasMessage("authentication.serviceAccounts[2].cacheTtl: PT6M (expected: 0s to 5m)");
        assertThatThrownBy(() -> new ServiceAccountConfig("authentication.serviceAccounts[0]", " ", List.of(), null,
                "", Duration.ZERO)).hasMessageStartingWith("authentication.serviceAccounts[0].cluster: missing");
    }
}
