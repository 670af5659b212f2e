package dev.gatehouse.e2e.apiserver;

import static dev.gatehouse.e2e.apiserver.RealApiServer.ALICE;
import static dev.gatehouse.e2e.apiserver.RealApiServer.GATEWAY_USER;
import static dev.gatehouse.e2e.apiserver.RealApiServer.TEAM_A;
import static dev.gatehouse.e2e.apiserver.RealApiServer.TEAM_B;
import static dev.gatehouse.e2e.apiserver.RealApiServer.impersonating;
import static dev.gatehouse.e2e.apiserver.RealApiServer.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.sandbox.kubectl.KubectlResult;

/**
 * Service-account tokens the real kube-apiserver 1.20 signed (TokenRequest), taken by the gateway through the
 * apiserver's own TokenReview — the gateway asks as itself, with the one credential it forwards with, bound to
 * {@code system:auth-delegator} — and carried by impersonation, so the apiserver's RBAC and audit log see the service
 * account. A token for another audience, a token of a deleted service account and a token signed by someone else
 * with the cluster's issuer are refused with 401 before anything reaches the cluster.
 */
@Timeout(120)
class ServiceAccountsOnRealApiServerTest {
    private static final String NAMESPACE = "ci";
    private static final String DEPLOYER = "system:serviceaccount:ci:deployer";
    private static final String SA_ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final Duration AUDIT_WAIT = Duration.ofSeconds(10);
    private static final String COMPLETE = AuditEvent.STAGE_RESPONSE_COMPLETE;

    @TempDir
    static Path tmp;
    static RealApiServer apiServer;
    static GatewayInFront gateway;

    @RegisterExtension
    static final RealApiServerLifecycle LIFECYCLE = new RealApiServerLifecycle(() -> gateway, () -> apiServer);

    @BeforeAll
    static void start() throws IOException {
        apiServer = LIFECYCLE.start(RealApiServer::start);
        if (apiServer == null) {
            return;
        }
        apiServer.setUpTeams();
        apiServer.createNamespace(NAMESPACE);
        createServiceAccount("deployer");
        apiServer.grantPodReader(DEPLOYER, TEAM_A);
        // the gateway may create TokenReviews (and SubjectAccessReviews): the built-in role for delegated authn
        apiServer.create("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", """
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding",
                 "metadata":{"name":"gatehouse-auth-delegator"},
                 "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"system:auth-delegator"},
                 "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"%s"}]}"""
                .formatted(GATEWAY_USER));
        gateway = GatewayInFront.start(apiServer, tmp.resolve("gateway"),
                List.of(new GatewayInFront.User(ALICE, "uid-alice", List.of("team-a-devs"))),
                List.of(new GatehouseConfig.ServiceAccountSource("authentication.serviceAccounts[0]",
                        GatewayInFront.CLUSTER, List.of(), List.of(), "", Duration.ofSeconds(10))));
    }

    @Test
    void aServiceAccountTokenWorksThroughTheGatewayWithTheClustersRbac() {
        String token = tokenRequest("deployer", List.of());
        int mark = gateway.mark();
        var raw = gateway.get("/clusters/" + GatewayInFront.CLUSTER + "/api/v1/namespaces/" + TEAM_A + "/pods", token,
                Map.of());
        assertThat(raw.status()).as("%s", raw.body()).isEqualTo(200);

        KubectlResult pods = gateway.kubectlWithToken(token).run("get", "pods", "-n", TEAM_A, "-o", "name");
        assertThat(pods.exitCode()).as(pods.stderr()).isZero();
        assertThat(pods.stdout().lines()).containsExactly("pod/a-1", "pod/a-2");

        KubectlResult elsewhere = gateway.kubectlWithToken(token).run("get", "pods", "-n", TEAM_B);
        assertThat(elsewhere.exitCode()).isNotZero();
        assertThat(elsewhere.stderr()).contains("Forbidden").contains(DEPLOYER);

        AuditEvent listed = gateway.awaitRequestEvent(mark, AUDIT_WAIT, e -> COMPLETE.equals(e.stage())
                && "list".equals(e.verb()) && e.objectRef() != null && TEAM_A.equals(e.objectRef().namespace()));
        assertThat(listed.user().username()).isEqualTo(DEPLOYER);
        assertThat(listed.user().groups()).contains("system:serviceaccounts", "system:serviceaccounts:ci");
        assertThat(listed.gatehouse().authn().method()).isEqualTo("service-account");
        assertThat(listed.gatehouse().authn().issuer()).isEqualTo("cluster:" + GatewayInFront.CLUSTER);
        assertThat(listed.gatehouse().authn().credentialId()).as("the token's id, never the token")
                .isNotBlank().doesNotContain(token);

        JsonNode upstream = apiServer.awaitAuditEvent(impersonating(DEPLOYER).and(e ->
                TEAM_A.equals(e.path("objectRef").path("namespace").asText())
                        && "list".equals(e.path("verb").asText())), AUDIT_WAIT);
        assertThat(upstream.path("user").path("username").asText()).as("the gateway forwards, never the token")
                .isEqualTo(GATEWAY_USER);
        assertThat(texts(upstream.path("impersonatedUser").path("groups"))).contains("system:serviceaccounts:ci");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        String token = tokenRequest("deployer", List.of("vault"));
        assertThat(gateway.get("/clusters/" + GatewayInFront.CLUSTER + "/api/v1/namespaces/" + TEAM_A + "/pods",
                token, Map.of()).status()).isEqualTo(401);
    }

    @Test
    void aTokenOfADeletedServiceAccountIsRefused() {
        createServiceAccount("short-lived");
        String token = tokenRequest("short-lived", List.of());
        RealApiServer.Response deleted = apiServer.request("DELETE", "/api/v1/namespaces/" + NAMESPACE
                + "/serviceaccounts/short-lived", apiServer.adminToken(), null, Map.of());
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(gateway.get("/clusters/" + GatewayInFront.CLUSTER + "/api/v1/namespaces/" + TEAM_A + "/pods",
                token, Map.of()).status()).isEqualTo(401);
    }

    @Test
    void aTokenSignedBySomeoneElseWithTheClustersIssuerIsRefused() throws Exception {
        SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
                .issuer(SA_ISSUER).subject(DEPLOYER).audience(SA_ISSUER)
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .claim("kubernetes.io", Map.of("namespace", NAMESPACE, "serviceaccount",
                        Map.of("name", "deployer", "uid", "00000000-0000-0000-0000-000000000000")))
                .build());
        forged.sign(new RSASSASigner(new RSAKeyGenerator(2048).generate()));
        int mark = gateway.mark();
        assertThat(gateway.get("/clusters/" + GatewayInFront.CLUSTER + "/api/v1/namespaces/" + TEAM_A + "/pods",
                forged.serialize(), Map.of()).status()).isEqualTo(401);
        AuditEvent refused = gateway.awaitRequestEvent(mark, AUDIT_WAIT, e -> COMPLETE.equals(e.stage()));
        assertThat(refused.responseStatus().code()).isEqualTo(401);
    }

    private static void createServiceAccount(String name) {
        apiServer.create("/api/v1/namespaces/" + NAMESPACE + "/serviceaccounts",
                "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"" + name + "\"}}");
    }

    /** A bound token of service account {@code name} from the apiserver's TokenRequest API. */
    private static String tokenRequest(String name, List<String> audiences) {
        StringBuilder aud = new StringBuilder();
        audiences.forEach(a -> aud.append(aud.isEmpty() ? "" : ",").append('"').append(a).append('"'));
        RealApiServer.Response r = apiServer.request("POST", "/api/v1/namespaces/" + NAMESPACE + "/serviceaccounts/"
                        + name + "/token", apiServer.adminToken(),
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{\"audiences\":["
                        + aud + "],\"expirationSeconds\":3600}}", Map.of());
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        return r.json().path("status").path("token").asText();
    }
}
