package dev.gatehouse.e2e.apiserver;

import static dev.gatehouse.e2e.apiserver.RealApiServer.ALICE;
import static dev.gatehouse.e2e.apiserver.RealApiServer.TEAM_A;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.e2e.GatewayAuditLog;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlResult;

/**
 * A real kube-apiserver 1.20 as the gateway's default cluster and at its host name, with the real kubectl 1.32:
 * {@code get --raw /version} and {@code get pods} at the gateway's root and, with {@code tls-server-name}, at the
 * cluster's host name; the apiserver's RBAC still decides (alice reads team-a only).
 */
@Timeout(120)
class HostRoutingOnRealApiServerTest {
    private static final String CLUSTER = "real";
    private static final String HOST = "real.gatehouse.test";
    private static final String TOKEN = "alice-host-routing-real-0123456789";

    @TempDir
    static Path tmp;
    static RealApiServer apiServer;
    static Gatehouse gateway;
    static GatewayAuditLog audit;
    static String caPem;

    @RegisterExtension
    static final RealApiServerLifecycle LIFECYCLE = new RealApiServerLifecycle(() -> null, () -> apiServer);

    @BeforeAll
    static void start() throws IOException {
        apiServer = LIFECYCLE.start(RealApiServer::start);
        if (apiServer == null) {
            return;
        }
        apiServer.setUpTeams();
        CertificateAuthority.WrittenFiles tls = CertificateAuthority.create("real-host-ca", Duration.ofDays(1))
                .issueServer("gateway", List.of("localhost", HOST), List.of("127.0.0.1"), Duration.ofDays(1))
                .written(tmp.resolve("tls"), "gateway");
        caPem = Files.readString(tls.ca());
        Path tokens = RealApiServer.write(tmp.resolve("tokens.csv"), TOKEN + "," + ALICE + ",uid-alice,\"team-a-devs\"\n",
                true);
        Path upstreamToken = RealApiServer.write(tmp.resolve("upstream-token"), apiServer.gatewayToken() + "\n", true);
        GatehouseConfig config = new GatehouseConfig(
                new GatehouseConfig.ListenConfig("127.0.0.1", 0, tls.certificate(), tls.privateKey()),
                tmp.resolve("data"), Duration.ofMinutes(5), Duration.ofSeconds(20),
                new GatehouseConfig.AuthenticationConfig(tokens), null, null, null,
                List.of(new GatehouseConfig.ClusterConfig(CLUSTER, null, null, apiServer.url().toString(),
                        apiServer.caFile(), upstreamToken, null, null, "impersonate", null, List.of(HOST))),
                CLUSTER);
        audit = new GatewayAuditLog(config);
        gateway = Gatehouse.start(config);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    static Kubectl kubectl(String tlsServerName) throws IOException {
        Kubectl kubectl = Kubectl.create(new Kubeconfig("https://127.0.0.1:" + gateway.port(), caPem, TOKEN, null,
                null), RealApiServer.kubectlOptions(Duration.ofSeconds(30)));
        if (tlsServerName != null) {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            ObjectNode config = (ObjectNode) yaml.readTree(Files.readString(kubectl.kubeconfig()));
            ((ObjectNode) config.path("clusters").get(0).path("cluster")).put("tls-server-name", tlsServerName);
            Files.writeString(kubectl.kubeconfig(), yaml.writeValueAsString(config));
        }
        return kubectl;
    }

    private static List<AuditEvent> since(int mark) {
        List<AuditEvent> all = audit.requestEvents();
        return all.subList(mark, all.size());
    }

    private void rawVersionAndPods(String tlsServerName) throws IOException {
        try (Kubectl alice = kubectl(tlsServerName)) {
            int mark = audit.requestEvents().size();
            KubectlResult version = alice.run("get", "--raw", "/version");
            assertThat(version.exitCode()).as(version.toString()).isZero();
            assertThat(version.stdout()).contains("\"gitVersion\": \"v1.20");
            // kubectl adds ?timeout=<its --request-timeout>
            assertThat(since(mark)).extracting(AuditEvent::requestURI).containsExactly("/version?timeout=20s");
            assertThat(since(mark).get(0).gatehouse().cluster()).isEqualTo(CLUSTER);
            assertThat(since(mark).get(0).responseStatus().code()).isEqualTo(200);

            KubectlResult pods = alice.run("get", "pods", "-n", TEAM_A);
            assertThat(pods.exitCode()).as(pods.toString()).isZero();
            assertThat(pods.stdout()).contains("a-1", "a-2");
            KubectlResult forbidden = alice.run("get", "pods", "-n", RealApiServer.TEAM_B);
            assertThat(forbidden.exitCode()).isEqualTo(1);
            assertThat(forbidden.stderr()).contains("Forbidden");

            // /livez tells the routes apart: at the host name it is the apiserver's (forwarded and recorded), at
            // the gateway's root it is the gateway's own health endpoint
            int beforeLivez = audit.requestEvents().size();
            KubectlResult livez = alice.run("get", "--raw", "/livez");
            assertThat(livez.exitCode()).as(livez.toString()).isZero();
            assertThat(livez.stdout()).contains("ok");
            if (tlsServerName != null) {
                assertThat(since(beforeLivez)).extracting(AuditEvent::requestURI).containsExactly("/livez?timeout=20s");
            } else {
                assertThat(since(beforeLivez)).isEmpty();
            }
        }
    }

    @Test
    void rawRequestsAndOrdinaryOnesWorkAtTheRootOfTheGateway() throws IOException {
        rawVersionAndPods(null);
    }

    @Test
    void rawRequestsAndOrdinaryOnesWorkAtTheClustersHostName() throws IOException {
        rawVersionAndPods(HOST);
    }
}
