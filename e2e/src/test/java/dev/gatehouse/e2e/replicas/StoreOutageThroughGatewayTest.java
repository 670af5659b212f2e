package dev.gatehouse.e2e.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.e2e.GatewayAuditLog;
import dev.gatehouse.e2e.GatewayTls;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.sandbox.Sandbox;
import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlResult;

/**
 * A gateway on the PostgreSQL store while PostgreSQL is unreachable, with the real kubectl: allowed requests keep
 * flowing with their evidence in the local log; a request that needs a review fails closed with a 503 that says
 * why and reaches nothing; once PostgreSQL is back the same delete is held and released by an approval.
 */
class StoreOutageThroughGatewayTest {
    @TempDir
    static Path dir;
    static Sandbox sandbox;
    static ReplicaDatabase database;
    static Gatehouse gateway;
    static GatehouseConfig config;
    static Kubectl alice;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start();
        database = new ReplicaDatabase();
        CertificateAuthority.WrittenFiles tls = GatewayTls.create(dir, "outage-ca");
        Files.copy(tls.ca(), dir.resolve("ca.crt"));
        Files.writeString(dir.resolve("tokens.csv"), ReplicasThroughFrontTest.ALICE_TOKEN
                + ",alice,uid-alice,developers\n" + ReplicasThroughFrontTest.BOB_TOKEN + ",bob,uid-bob,sre\n");
        Files.writeString(dir.resolve("bob.token"), ReplicasThroughFrontTest.BOB_TOKEN);
        Files.writeString(dir.resolve("sandbox-token"), sandbox.token());
        Files.createDirectories(dir.resolve("policy"));
        Files.writeString(dir.resolve("policy/rules.yaml"), ReplicasThroughFrontTest.POLICY);
        Files.writeString(dir.resolve("gatehouse.yaml"), """
                listen: {address: 127.0.0.1, port: 0, certFile: "%s", keyFile: "%s"}
                dataDir: data
                authentication: {staticTokenFile: tokens.csv}
                clusters:
                  - {name: sandbox, server: "%s", caFile: "%s", tokenFile: sandbox-token}
                policy: {path: policy}
                reviews: {holdTime: 60s, pollInterval: 500ms}
                store: {kind: postgres, url: "%s", user: postgres}
                """.formatted(tls.certificate(), tls.privateKey(), sandbox.url(), sandbox.caFile(), database.url()));
        config = ConfigLoader.load(dir.resolve("gatehouse.yaml"));
        gateway = Gatehouse.start(config);
        alice = Kubectl.create(new Kubeconfig("https://127.0.0.1:" + gateway.port() + "/clusters/sandbox",
                Files.readString(tls.ca()), ReplicasThroughFrontTest.ALICE_TOKEN, null, "dev"));
    }

    @AfterAll
    static void stop() {
        if (alice != null) {
            alice.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (database != null) {
            database.unblock();
            database.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void allowedRequestsFlowAndReviewsFailClosedWhilePostgresIsDownAndWorkAgainAfter() throws Exception {
        assertThat(alice.run("create", "namespace", "outage").succeeded()).isTrue();
        GatewayAuditLog audit = new GatewayAuditLog(config);
        database.block();
        try {
            int mark = sandbox.received().size();
            KubectlResult get = alice.run("get", "namespaces", "-o", "name");
            assertThat(get.exitCode()).as(get.stderr()).isZero();
            assertThat(get.stdout()).contains("namespace/outage");
            KubectlResult create = alice.run("create", "configmap", "during-outage", "-n", "default",
                    "--from-literal=k=v");
            assertThat(create.exitCode()).as(create.stderr()).isZero();

            KubectlResult delete = alice.run(Duration.ofSeconds(60), null, "delete", "namespace", "outage");
            assertThat(delete.exitCode()).as("a review needs the shared store: refused").isNotZero();
            assertThat(delete.stderr()).contains("the shared store (PostgreSQL at 127.0.0.1:5432/" + database.name
                    + ") cannot be reached");
            assertThat(sandbox.received().subList(mark, sandbox.received().size()))
                    .as("the delete reached nothing").noneMatch(r -> r.method().equals("DELETE"))
                    .as("the allowed create did").anyMatch(r -> r.method().equals("POST"));
            String createId = sandbox.received().subList(mark, sandbox.received().size()).stream()
                    .filter(r -> r.method().equals("POST")).findFirst().orElseThrow().header("Audit-ID");
            assertThat(audit.completed(createId).responseStatus().code()).as("its evidence is local").isEqualTo(201);
            assertThat(audit.requestEvents()).as("the refusal is recorded with its code")
                    .anyMatch(e -> "delete".equals(e.verb()) && e.objectRef() != null
                            && "outage".equals(e.objectRef().name()) && e.responseStatus() != null
                            && e.responseStatus().code() == 503);
        } finally {
            database.unblock();
        }

        // the gateway's pool reconnects on its own; the reviews API answers once it has
        String[] listed = {"1", "", ""};
        for (int i = 0; i < 60 && !listed[0].equals("0"); i++) {
            listed = ReplicasThroughFrontTest.cli(gateway.port(), dir.resolve("ca.crt"), dir, "bob", "reviews", "list");
            if (!listed[0].equals("0")) {
                assertThat(listed[2]).as("until then: the same clear refusal").contains("503");
                Thread.sleep(500);
            }
        }
        assertThat(listed[0]).as("the store is reachable again: " + listed[2]).isEqualTo("0");
        int mark = sandbox.received().size();
        CompletableFuture<KubectlResult> held = CompletableFuture.supplyAsync(() -> alice.run(Duration.ofSeconds(90),
                null, "delete", "namespace", "outage"));
        String id = null;
        for (int i = 0; i < 300 && id == null; i++) {
            id = audit.events().stream().filter(e -> e.gatehouse() != null && "review".equals(e.gatehouse().type())
                    && "created".equals(e.verb()) && e.objectRef() != null && "outage".equals(e.objectRef().name()))
                    .map(e -> e.gatehouse().details().get("reviewId")).findFirst().orElse(null);
            Thread.sleep(100);
        }
        assertThat(id).as("after recovery the delete is held for review").isNotNull();
        String[] approved = ReplicasThroughFrontTest.cli(gateway.port(), dir.resolve("ca.crt"), dir, "bob",
                "reviews", "approve", id);
        assertThat(approved[0]).as(approved[2]).isEqualTo("0");
        KubectlResult released = held.get(60, TimeUnit.SECONDS);
        assertThat(released.exitCode()).as(released.stderr()).isZero();
        assertThat(sandbox.received().subList(mark, sandbox.received().size()))
                .anyMatch(r -> r.method().equals("DELETE") && r.rawPath().endsWith("/namespaces/outage"));
        List<AuditEvent> reviewSteps = audit.events().stream().filter(e -> e.gatehouse() != null
                && "review".equals(e.gatehouse().type())).toList();
        assertThat(reviewSteps).extracting(AuditEvent::verb).contains("created", "approved");
    }
}
