package dev.gatehouse.e2e.apiserver;

import static dev.gatehouse.e2e.apiserver.RealApiServer.ALICE;
import static dev.gatehouse.e2e.apiserver.RealApiServer.GATEWAY_USER;
import static dev.gatehouse.e2e.apiserver.RealApiServer.TEAM_A;
import static dev.gatehouse.e2e.apiserver.RealApiServer.TEAM_B;
import static dev.gatehouse.e2e.apiserver.RealApiServer.byUser;
import static dev.gatehouse.e2e.apiserver.RealApiServer.completed;
import static dev.gatehouse.e2e.apiserver.RealApiServer.impersonating;
import static dev.gatehouse.e2e.apiserver.RealApiServer.withImpersonatedExtra;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlResult;

/**
 * Proves the {@link RealApiServer} harness with the real kubectl 1.32: token auth, RBAC, impersonation
 * (user and user extras) and the audit log of a real kube-apiserver 1.20.
 */
@Timeout(value = 180)
class RealApiServerTest {
    private static final String REQUEST_ID = "gatehouse.dev/request-id";
    private static final Duration AUDIT_WAIT = Duration.ofSeconds(10);
    private static final Duration KUBECTL_TIMEOUT = Duration.ofSeconds(60);

    static RealApiServer server;

    @RegisterExtension
    static final RealApiServerLifecycle LIFECYCLE = new RealApiServerLifecycle(() -> null, () -> server);

    @BeforeAll
    static void startServer() {
        server = LIFECYCLE.start(RealApiServer::start);
        if (server == null) {
            return;
        }
        server.setUpTeams();
    }

    private final List<Kubectl> kubectls = new ArrayList<>();

    @AfterEach
    void closeKubectls() {
        kubectls.forEach(Kubectl::close);
    }

    /** kubectl with {@code token}, impersonating {@code as} (null: nobody) with user extras, on a cache of its own. */
    private Kubectl kubectl(String token, String as, Map<String, List<String>> extra) {
        Kubectl kubectl = Kubectl.create(server.kubeconfig(token, as, extra),
                RealApiServer.kubectlOptions(KUBECTL_TIMEOUT));
        kubectls.add(kubectl);
        return kubectl;
    }

    private static Predicate<JsonNode> pods(String verb, String namespace, int code) {
        return e -> verb.equals(e.path("verb").asText())
                && "pods".equals(e.path("objectRef").path("resource").asText())
                && namespace.equals(e.path("objectRef").path("namespace").asText())
                && e.path("responseStatus").path("code").asInt() == code;
    }

    @Test
    void adminCanGetNamespaces() {
        KubectlResult r = kubectl(server.adminToken(), null, Map.of()).run("get", "ns", "-o", "name");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("namespace/default", "namespace/" + TEAM_A, "namespace/" + TEAM_B);
    }

    @Test
    void gatewayTokenAloneCannotListPods() {
        KubectlResult r = kubectl(server.gatewayToken(), null, Map.of())
                .run("get", "pods", "-n", TEAM_A);

        assertThat(r.timedOut()).as(r.toString()).isFalse();
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.stderr()).contains("Forbidden")
                .contains("User \"" + GATEWAY_USER + "\" cannot list resource \"pods\"");
        assertThat(server.get("/api/v1/namespaces/" + TEAM_A + "/pods", server.gatewayToken()).status()).isEqualTo(403);
    }

    @Test
    void gatewayImpersonatingAliceSeesTeamAOnly() {
        Kubectl gateway = kubectl(server.gatewayToken(), null, Map.of());

        KubectlResult teamA = gateway.run("--as=" + ALICE, "get", "pods", "-n", TEAM_A, "-o", "name");
        assertThat(teamA.exitCode()).as(teamA.toString()).isZero();
        assertThat(teamA.stdout()).contains("pod/a-1", "pod/a-2").doesNotContain("b-1");

        KubectlResult teamB = gateway.run("--as=" + ALICE, "get", "pods", "-n", TEAM_B);
        assertThat(teamB.timedOut()).as(teamB.toString()).isFalse();
        assertThat(teamB.exitCode()).as(teamB.toString()).isNotZero();
        assertThat(teamB.stderr()).contains("Forbidden")
                .contains("User \"" + ALICE + "\" cannot list resource \"pods\"")
                .contains("namespace \"" + TEAM_B + "\"");

        JsonNode allowed = server.awaitAuditEvent(completed().and(byUser(GATEWAY_USER)).and(impersonating(ALICE))
                .and(pods("list", TEAM_A, 200)), AUDIT_WAIT);
        assertThat(allowed.path("impersonatedUser").path("groups").toString()).contains("system:authenticated");
        server.awaitAuditEvent(completed().and(byUser(GATEWAY_USER)).and(impersonating(ALICE))
                .and(pods("list", TEAM_B, 403)), AUDIT_WAIT);
        assertThat(server.auditEventsByImpersonatedUser(ALICE)).isNotEmpty()
                .allSatisfy(e -> assertThat(e.path("user").path("username").asText()).isEqualTo(GATEWAY_USER));
    }

    @Test
    void impersonatedUserExtraAppearsInAuditLog() {
        // kubectl has no --as-user-extra flag; its kubeconfig's `as-user-extra` sends Impersonate-Extra-*.
        Kubectl withExtra = kubectl(server.gatewayToken(), ALICE, Map.of(REQUEST_ID, List.of("abc123")));

        KubectlResult r = withExtra.run("get", "pods", "-n", TEAM_A, "-o", "name");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("pod/a-1");

        JsonNode event = server.awaitAuditEvent(completed().and(withImpersonatedExtra(REQUEST_ID, "abc123"))
                .and(pods("list", TEAM_A, 200)), AUDIT_WAIT);
        assertThat(event.path("user").path("username").asText()).isEqualTo(GATEWAY_USER);
        assertThat(event.path("impersonatedUser").path("username").asText()).isEqualTo(ALICE);

        // The raw header, key percent-encoded as client-go does it.
        RealApiServer.Response raw = server.get("/api/v1/namespaces/" + TEAM_A + "/pods", server.gatewayToken(),
                Map.of("Impersonate-User", ALICE, "Impersonate-Extra-gatehouse.dev%2frequest-id", "raw-789"));
        assertThat(raw.status()).as(raw.body()).isEqualTo(200);
        server.awaitAuditEvent(completed().and(byUser(GATEWAY_USER)).and(impersonating(ALICE))
                .and(withImpersonatedExtra(REQUEST_ID, "raw-789")), AUDIT_WAIT);
        assertThat(server.auditEventsWithExtra(REQUEST_ID, "abc123")).isNotEmpty();
    }
}
