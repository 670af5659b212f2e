package dev.gatehouse.e2e.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.e2e.GatewayAuditLog;
import dev.gatehouse.e2e.KubectlRun;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.sandbox.Sandbox;
import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlResult;
import dev.gatehouse.sandbox.recording.ReceivedRequest;

/**
 * Two working clusters behind one gateway at once, reached with the real kubectl 1.32 by each of the three routes:
 * the gateway's root (blue is the default cluster), a cluster's host name (green.gatehouse.test, which nothing
 * resolves here, so kubectl dials 127.0.0.1 and names the cluster with {@code tls-server-name}: the SNI routes it
 * and the certificate is verified for that name) and the path prefix. Absolute-path requests
 * ({@code kubectl get --raw /version}) work on the first two.
 */
class HostRoutingKubectlTest {
    static final String BLUE_HOST = "blue.gatehouse.test";
    static final String GREEN_HOST = "green.gatehouse.test";
    static final String ALICE = "alice-host-routing-0123456789";
    static final String BOB = "bob-host-routing-0123456789";

    @TempDir
    static Path dir;
    static Sandbox blue;
    static Sandbox green;
    static Gatehouse gateway;
    static GatewayAuditLog audit;
    static String caPem;

    @BeforeAll
    static void start() throws IOException {
        blue = Sandbox.start();
        green = Sandbox.start();
        CertificateAuthority.WrittenFiles tls = CertificateAuthority.create("host-routing-ca", Duration.ofDays(1))
                .issueServer("gateway", List.of("localhost", BLUE_HOST, GREEN_HOST), List.of("127.0.0.1"),
                        Duration.ofDays(1))
                .written(dir.resolve("tls"), "gateway");
        caPem = Files.readString(tls.ca());
        Files.writeString(dir.resolve("tokens.csv"), ALICE + ",alice,uid-alice,developers\n"
                + BOB + ",bob,uid-bob,sre\n");
        Files.writeString(dir.resolve("blue-token"), blue.token());
        Files.writeString(dir.resolve("green-token"), green.token());
        GatehouseConfig config = new GatehouseConfig(
                new GatehouseConfig.ListenConfig("127.0.0.1", 0, tls.certificate(), tls.privateKey()),
                dir.resolve("data"), Duration.ofHours(1), Duration.ofSeconds(30),
                new GatehouseConfig.AuthenticationConfig(dir.resolve("tokens.csv")), null, null, null,
                List.of(new GatehouseConfig.ClusterConfig("blue", null, null, blue.url(), blue.caFile(),
                                dir.resolve("blue-token"), null, null, "impersonate", null, List.of(BLUE_HOST)),
                        new GatehouseConfig.ClusterConfig("green", null, null, green.url(), green.caFile(),
                                dir.resolve("green-token"), null, null, "impersonate", null, List.of(GREEN_HOST))),
                "blue");
        audit = new GatewayAuditLog(config);
        gateway = Gatehouse.start(config);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (blue != null) {
            blue.close();
        }
        if (green != null) {
            green.close();
        }
    }

    static String root() {
        return "https://127.0.0.1:" + gateway.port();
    }

    /** kubectl for {@code server}, sending {@code tlsServerName} as SNI (and verifying the certificate for it). */
    static Kubectl kubectl(String server, String tlsServerName, String token) {
        Kubectl kubectl = Kubectl.create(new Kubeconfig(server, caPem, token, null, "dev"));
        if (tlsServerName != null) {
            try {
                ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
                ObjectNode config = (ObjectNode) yaml.readTree(Files.readString(kubectl.kubeconfig()));
                ((ObjectNode) config.path("clusters").get(0).path("cluster")).put("tls-server-name", tlsServerName);
                Files.writeString(kubectl.kubeconfig(), yaml.writeValueAsString(config));
            } catch (IOException e) {
                kubectl.close();
                throw new UncheckedIOException(e);
            }
        }
        return kubectl;
    }

    /** Runs {@code args} and returns what each cluster received meanwhile. */
    record Both(KubectlResult result, List<ReceivedRequest> blue, List<ReceivedRequest> green) {
    }

    static Both run(Kubectl kubectl, String... args) {
        int blueMark = blue.received().size();
        int greenMark = green.received().size();
        KubectlResult result = kubectl.run(args);
        return new Both(result, KubectlRun.receivedSince(blue, blueMark), KubectlRun.receivedSince(green, greenMark));
    }

    @Test
    void rawRequestsAndOrdinaryOnesReachTheDefaultClusterAtTheRoot() {
        try (Kubectl alice = kubectl(root(), null, ALICE)) {
            Both version = run(alice, "get", "--raw", "/version");
            assertThat(version.result().succeeded()).as(version.result().toString()).isTrue();
            assertThat(version.result().stdout()).contains("\"gitVersion\"");
            assertThat(version.blue()).extracting(ReceivedRequest::rawPath).containsExactly("/version");
            assertThat(version.green()).isEmpty();
            AuditEvent event = audit.completed(version.blue().get(0).header("Audit-ID"));
            assertThat(event.gatehouse().cluster()).isEqualTo("blue");
            assertThat(event.requestURI()).isEqualTo("/version");

            Both pods = run(alice, "get", "pods");
            assertThat(pods.result().succeeded()).as(pods.result().toString()).isTrue();
            assertThat(pods.result().stdout()).contains("NAME");
            assertThat(pods.blue()).extracting(ReceivedRequest::rawPath).contains("/api/v1/namespaces/dev/pods");
            assertThat(pods.green()).isEmpty();
        }
    }

    @Test
    void aClusterHostNameReachesThatClusterWithRawRequestsToo() {
        try (Kubectl bob = kubectl(root(), GREEN_HOST, BOB)) {
            Both version = run(bob, "get", "--raw", "/version");
            assertThat(version.result().succeeded()).as(version.result().toString()).isTrue();
            assertThat(version.green()).extracting(ReceivedRequest::rawPath).containsExactly("/version");
            assertThat(version.blue()).isEmpty();
            assertThat(audit.completed(version.green().get(0).header("Audit-ID")).gatehouse().cluster())
                    .isEqualTo("green");

            Both pods = run(bob, "get", "pods");
            assertThat(pods.result().succeeded()).as(pods.result().toString()).isTrue();
            assertThat(pods.green()).extracting(ReceivedRequest::rawPath).contains("/api/v1/namespaces/dev/pods");
            assertThat(pods.blue()).isEmpty();
            assertThat(pods.green()).allSatisfy(r -> assertThat(r.headers("Impersonate-User")).containsExactly("bob"));
        }
    }

    @Test
    void aHostThatDiffersFromTheClustersServerNameIsMisdirectedForKubectlToo() {
        // kubectl dials "localhost" (so Host: localhost) but names green in TLS: the gateway cannot tell which the
        // client meant, so it refuses with 421 instead of guessing
        try (Kubectl bob = kubectl("https://localhost:" + gateway.port(), GREEN_HOST, BOB)) {
            Both version = run(bob, "get", "--raw", "/version");
            assertThat(version.result().succeeded()).isFalse();
            assertThat(version.result().stderr()).contains("misdirected request");
            assertThat(version.blue()).isEmpty();
            assertThat(version.green()).isEmpty();
        }
    }

    @Test
    void twoClustersServeAtOnceAndEachRequestReachesItsOwn() throws Exception {
        try (Kubectl alice = kubectl(root(), null, ALICE);
             Kubectl bob = kubectl(root(), GREEN_HOST, BOB);
             Kubectl bobByPath = kubectl(root() + "/clusters/green", null, BOB)) {
            // a state only green has: created through green's host name, read back through both routes to green
            Both created = run(bob, "create", "configmap", "only-in-green", "--from-literal=colour=green");
            assertThat(created.result().succeeded()).as(created.result().toString()).isTrue();
            assertThat(created.blue()).isEmpty();
            assertThat(run(bobByPath, "get", "configmap", "only-in-green", "-o", "jsonpath={.data.colour}")
                    .result().stdout()).isEqualTo("green");
            KubectlResult inBlue = alice.run("get", "configmap", "only-in-green");
            assertThat(inBlue.succeeded()).isFalse();
            assertThat(inBlue.stderr()).contains("NotFound");

            int blueMark = blue.received().size();
            int greenMark = green.received().size();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<List<KubectlResult>>> rounds = new ArrayList<>();
                rounds.add(pool.submit(() -> repeat(alice, 4, "get", "--raw", "/api/v1/namespaces/dev/configmaps")));
                rounds.add(pool.submit(() -> repeat(bob, 4, "get", "--raw", "/api/v1/namespaces/dev/configmaps")));
                List<KubectlResult> aliceResults = rounds.get(0).get(120, TimeUnit.SECONDS);
                List<KubectlResult> bobResults = rounds.get(1).get(120, TimeUnit.SECONDS);
                assertThat(aliceResults).allSatisfy(r -> {
                    assertThat(r.succeeded()).as(r.toString()).isTrue();
                    assertThat(r.stdout()).doesNotContain("only-in-green");
                });
                assertThat(bobResults).allSatisfy(r -> {
                    assertThat(r.succeeded()).as(r.toString()).isTrue();
                    assertThat(r.stdout()).contains("only-in-green");
                });
            } finally {
                pool.shutdownNow();
                assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
            List<ReceivedRequest> toBlue = KubectlRun.receivedSince(blue, blueMark);
            List<ReceivedRequest> toGreen = KubectlRun.receivedSince(green, greenMark);
            assertThat(toBlue).hasSize(4)
                    .allSatisfy(r -> assertThat(r.headers("Impersonate-User")).containsExactly("alice"));
            assertThat(toGreen).hasSize(4)
                    .allSatisfy(r -> assertThat(r.headers("Impersonate-User")).containsExactly("bob"));
            for (ReceivedRequest r : toGreen) {
                assertThat(audit.completed(r.header("Audit-ID")).gatehouse().cluster()).isEqualTo("green");
            }
            for (ReceivedRequest r : toBlue) {
                assertThat(audit.completed(r.header("Audit-ID")).gatehouse().cluster()).isEqualTo("blue");
            }
        }
    }

    private static List<KubectlResult> repeat(Kubectl kubectl, int times, String... args) {
        List<KubectlResult> results = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            results.add(kubectl.run(args));
        }
        return results;
    }
}
