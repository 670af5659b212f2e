package dev.gatehouse.e2e.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.e2e.KubectlRun;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlProcess;
import dev.gatehouse.sandbox.kubectl.KubectlResult;
import dev.gatehouse.sandbox.recording.ReceivedRequest;

/**
 * The real kubectl 1.32, over TLS, through the gateway to the sandbox cluster. Each case asserts kubectl's exit
 * code and output, what the cluster received (identity as impersonation, never the client's token), and the
 * audit event with the same request id.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlThroughGatewayTest {
    @TempDir
    static Path dir;
    static GatewayFixture fx;
    static Kubectl alice;

    @BeforeAll
    static void start() {
        fx = new GatewayFixture(dir);
        alice = fx.kubectl(GatewayFixture.ALICE_TOKEN);
    }

    @AfterAll
    static void stop() {
        if (alice != null) {
            alice.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    /** Runs kubectl as alice and returns the result with the upstream requests it caused. */
    static KubectlRun alice(String... args) {
        return KubectlRun.of(fx.sandbox, () -> alice.run(args));
    }

    /** The identity and id checks every forwarded request must pass. */
    static AuditEvent assertForwardedAsAlice(ReceivedRequest got) {
        String auditId = got.header("Audit-ID");
        assertThat(auditId).isNotBlank();
        assertThat(got.headers("Impersonate-User")).containsExactly("alice");
        assertThat(got.headers("Impersonate-Group")).containsExactly("developers", "readers");
        assertThat(got.header("Impersonate-Uid")).isEqualTo("uid-alice");
        assertThat(got.header("Impersonate-Extra-gatehouse.dev%2frequest-id")).isEqualTo(auditId);
        assertThat(got.header("Authorization")).isEqualTo("Bearer " + fx.sandbox.token());
        assertThat(got.headers().toString()).doesNotContain(GatewayFixture.ALICE_TOKEN);
        AuditEvent event = fx.audit.completed(auditId);
        assertThat(event.user().username()).isEqualTo("alice");
        assertThat(event.user().groups()).containsExactly("developers", "readers");
        assertThat(event.gatehouse().cluster()).isEqualTo("sandbox");
        assertThat(event.gatehouse().decision()).isEqualTo("allow");
        assertThat(event.userAgent()).startsWith("kubectl");
        return event;
    }

    @Test
    @Order(1)
    void getPodsPrintsAServerSideTable() {
        KubectlRun run = alice("get", "pods", "-n", "dev");
        assertThat(run.result().exitCode()).as(run.result().toString()).isZero();
        assertThat(run.result().stdout()).contains("NAME", "READY", "STATUS").containsPattern("web-\\S+\\s+1/1\\s+Running");
        ReceivedRequest list = run.only("GET", "/api/v1/namespaces/dev/pods");
        assertThat(list.header("Accept")).contains("as=Table");
        AuditEvent event = assertForwardedAsAlice(list);
        assertThat(event.verb()).isEqualTo("list");
        assertThat(event.objectRef().resource()).isEqualTo("pods");
        assertThat(event.objectRef().namespace()).isEqualTo("dev");
        assertThat(event.responseStatus().code()).isEqualTo(200);
        assertThat(event.gatehouse().bytesOut()).isPositive();
    }

    @Test
    @Order(2)
    void discoveryApiResourcesAndExplainWork() {
        KubectlRun resources = alice("api-resources");
        assertThat(resources.result().exitCode()).as(resources.result().toString()).isZero();
        assertThat(resources.result().stdout()).contains("deployments", "apps/v1", "secrets");
        assertForwardedAsAlice(resources.only("GET", "/apis"));
        KubectlRun explain = alice("explain", "deployment.spec.replicas");
        assertThat(explain.result().exitCode()).as(explain.result().toString()).isZero();
        assertThat(explain.result().stdout()).contains("replicas");
        assertThat(fx.audit.completed(explain.only("GET", "/openapi/v3").header("Audit-ID")).verb()).isEqualTo("get");
    }

    @Test
    @Order(3)
    void getAsYamlAndJsonAndDescribe() {
        KubectlRun yaml = alice("get", "deployment", "web", "-n", "dev", "-o", "yaml");
        assertThat(yaml.result().exitCode()).as(yaml.result().toString()).isZero();
        assertThat(yaml.result().stdout()).contains("kind: Deployment", "name: web");
        AuditEvent event = assertForwardedAsAlice(yaml.only("GET", "/apis/apps/v1/namespaces/dev/deployments/web"));
        assertThat(event.verb()).isEqualTo("get");
        assertThat(event.objectRef().name()).isEqualTo("web");
        assertThat(event.objectRef().apiGroup()).isEqualTo("apps");

        KubectlRun json = alice("get", "configmap", "app-config", "-n", "dev", "-o", "json");
        assertThat(json.result().stdout()).contains("\"kind\": \"ConfigMap\"");

        KubectlRun describe = alice("describe", "deployment", "web", "-n", "dev");
        assertThat(describe.result().exitCode()).as(describe.result().toString()).isZero();
        assertThat(describe.result().stdout()).contains("Name:", "web", "Replicas:");
    }

    @Test
    @Order(4)
    void createWithProtobufBodyIsRecordedBeforeAndAfter() {
        KubectlRun run = alice("create", "configmap", "e2e-created", "-n", "dev", "--from-literal=a=b");
        assertThat(run.result().exitCode()).as(run.result().toString()).isZero();
        assertThat(run.result().stdout()).contains("configmap/e2e-created created");
        ReceivedRequest post = run.only("POST", "/api/v1/namespaces/dev/configmaps");
        assertThat(post.header("Content-Type")).isEqualTo("application/vnd.kubernetes.protobuf");
        AuditEvent event = assertForwardedAsAlice(post);
        assertThat(event.verb()).isEqualTo("create");
        assertThat(event.responseStatus().code()).isEqualTo(201);
        assertThat(event.gatehouse().bytesIn()).isEqualTo((long) post.bodySize());
        assertThat(fx.audit.eventsFor(post.header("Audit-ID"))).extracting(AuditEvent::stage)
                .containsExactly("RequestReceived", "ResponseComplete");
    }

    @Test
    @Order(5)
    void applyClientSideTwiceThenServerSide() throws Exception {
        Path manifest = dir.resolve("cm.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: e2e-applied
                  namespace: dev
                data:
                  colour: blue
                """);
        KubectlRun first = alice("apply", "-f", manifest.toString());
        assertThat(first.result().stdout()).as(first.result().toString()).contains("configmap/e2e-applied created");
        Files.writeString(manifest, Files.readString(manifest).replace("blue", "green"));
        KubectlRun second = alice("apply", "-f", manifest.toString());
        assertThat(second.result().stdout()).as(second.result().toString()).contains("configmap/e2e-applied configured");
        ReceivedRequest patch = second.only("PATCH", "/api/v1/namespaces/dev/configmaps/e2e-applied");
        assertThat(patch.header("Content-Type")).isEqualTo("application/strategic-merge-patch+json");
        assertThat(assertForwardedAsAlice(patch).verb()).isEqualTo("patch");

        KubectlRun serverSide = alice("apply", "--server-side", "-f", manifest.toString());
        assertThat(serverSide.result().exitCode()).as(serverSide.result().toString()).isZero();
        assertThat(serverSide.result().stdout()).contains("configmap/e2e-applied serverside-applied");
        ReceivedRequest ssa = serverSide.only("PATCH", "/api/v1/namespaces/dev/configmaps/e2e-applied");
        assertThat(ssa.header("Content-Type")).isEqualTo("application/apply-patch+yaml");
        assertForwardedAsAlice(ssa);
    }

    @Test
    @Order(6)
    void patchLabelAndDelete() {
        KubectlRun patch = alice("patch", "configmap", "e2e-applied", "-n", "dev", "--type=merge",
                "-p", "{\"data\":{\"size\":\"xl\"}}");
        assertThat(patch.result().stdout()).as(patch.result().toString()).contains("patched");
        KubectlRun label = alice("label", "configmap", "e2e-applied", "-n", "dev", "tier=gold");
        assertThat(label.result().stdout()).as(label.result().toString()).contains("labeled");
        assertThat(alice("get", "configmap", "e2e-applied", "-n", "dev", "-o", "jsonpath={.metadata.labels.tier}")
                .result().stdout()).isEqualTo("gold");
        KubectlRun delete = alice("delete", "configmap", "e2e-applied", "-n", "dev");
        assertThat(delete.result().stdout()).as(delete.result().toString()).contains("deleted");
        AuditEvent event = assertForwardedAsAlice(delete.only("DELETE", "/configmaps/e2e-applied"));
        assertThat(event.verb()).isEqualTo("delete");
        assertThat(fx.audit.eventsFor(event.auditID())).extracting(AuditEvent::stage)
                .containsExactly("RequestReceived", "ResponseComplete");
    }

    @Test
    @Order(7)
    void watchStreamsEventsAsTheyHappen() {
        int mark = fx.sandbox.received().size();
        try (KubectlProcess watch = alice.start("get", "configmaps", "-n", "dev", "-w")) {
            assertThat(watch.awaitLine(l -> l.contains("app-config"), Duration.ofSeconds(20))).isPresent();
            try (Kubectl bob = fx.kubectl(GatewayFixture.BOB_TOKEN)) {
                assertThat(bob.run("create", "configmap", "e2e-watched", "-n", "dev").exitCode()).isZero();
            }
            assertThat(watch.awaitLine(l -> l.contains("e2e-watched"), Duration.ofSeconds(20)))
                    .as("the new configmap appears in the running watch").isPresent();
            ReceivedRequest watchRequest = fx.receivedSince(mark).stream()
                    .filter(r -> r.query().contains("watch=true") && "alice".equals(r.header("Impersonate-User")))
                    .findFirst().orElseThrow();
            String id = watchRequest.header("Audit-ID");
            assertThat(fx.audit.eventsFor(id)).extracting(AuditEvent::stage).containsExactly("ResponseStarted");
            watch.stop();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> fx.audit.eventsFor(id).size() == 2);
            AuditEvent done = fx.audit.completed(id);
            assertThat(done.verb()).isEqualTo("watch");
            assertThat(done.user().username()).isEqualTo("alice");
        }
    }

    @Test
    @Order(8)
    void logsAndFollowedLogsStream() {
        String pod = alice("get", "pods", "-n", "dev", "-o", "jsonpath={.items[0].metadata.name}").result().stdout();
        KubectlRun logs = alice("logs", pod, "-n", "dev", "--tail=3");
        assertThat(logs.result().exitCode()).as(logs.result().toString()).isZero();
        assertThat(logs.result().stdoutLines()).hasSize(3);
        AuditEvent event = assertForwardedAsAlice(logs.only("GET", "/pods/" + pod + "/log"));
        assertThat(event.objectRef().subresource()).isEqualTo("log");
        try (KubectlProcess follow = alice.start("logs", "-f", pod, "-n", "dev")) {
            assertThat(follow.awaitLineCount(5, Duration.ofSeconds(20))).as("followed log lines stream").isTrue();
        }
    }

    @Test
    @Order(9)
    void authCanIUsesTheUsersIdentity() {
        KubectlRun run = alice("auth", "can-i", "list", "pods", "-n", "dev");
        assertThat(run.result().stdout().trim()).as(run.result().toString()).isEqualTo("yes");
        AuditEvent event = assertForwardedAsAlice(run.only("POST", "selfsubjectaccessreviews"));
        assertThat(event.verb()).isEqualTo("create");
    }

    @Test
    @Order(10)
    void clientChosenIdentityIsRefusedAndNothingReachesTheCluster() {
        for (List<String> as : List.of(List.of("--as=admin"), List.of("--as=alice", "--as-group=system:masters"))) {
            int mark = fx.sandbox.received().size();
            List<String> args = new java.util.ArrayList<>(List.of("get", "secrets", "-n", "prod"));
            args.addAll(as);
            KubectlResult result = alice.run(args.toArray(String[]::new));
            assertThat(result.exitCode()).isNotZero();
            assertThat(result.stderr()).contains("Forbidden").contains("impersonation headers are not accepted");
            assertThat(fx.receivedSince(mark)).as("nothing forwarded").isEmpty();
        }
        List<AuditEvent> refusals = fx.audit.events().stream().filter(e -> e.responseStatus() != null
                && e.responseStatus().code() == 403 && "refused".equals(e.gatehouse().decision())).toList();
        assertThat(refusals).isNotEmpty().allSatisfy(e -> {
            assertThat(e.user().username()).isEqualTo("alice");
            assertThat(e.gatehouse().cluster()).isEqualTo("sandbox");
        });
    }

    @Test
    @Order(11)
    void badTokensAndUnknownClustersGetStatusErrors() {
        int mark = fx.sandbox.received().size();
        try (Kubectl forged = fx.kubectl("forged-token")) {
            KubectlResult result = forged.run("get", "pods");
            assertThat(result.exitCode()).isNotZero();
            assertThat(result.stderr()).contains("error: You must be logged in to the server");
        }
        try (Kubectl lost = fx.kubectl("nope", GatewayFixture.ALICE_TOKEN)) {
            KubectlResult result = lost.run("get", "pods");
            assertThat(result.exitCode()).isNotZero();
            assertThat(result.stderr()).contains("Error from server (NotFound)");
        }
        assertThat(fx.receivedSince(mark)).isEmpty();
    }

    @Test
    @Order(99)
    void everyForwardedRequestHasExactlyOneCompletedEvent() {
        Set<String> forwarded = fx.sandbox.received().stream().map(r -> r.header("Audit-ID"))
                .filter(java.util.Objects::nonNull).collect(Collectors.toSet());
        assertThat(forwarded).hasSizeGreaterThan(30);
        var completedById = fx.audit.events().stream().filter(e -> "ResponseComplete".equals(e.stage()))
                .collect(Collectors.groupingBy(AuditEvent::auditID, Collectors.counting()));
        for (String id : forwarded) {
            assertThat(completedById.get(id)).as("completed events for %s", id).isEqualTo(1L);
        }
        // ... and the SIEM exporter (a consumer of the log with its own cursor) delivered every one of them.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> fx.exportedAuditIds().containsAll(forwarded));
    }
}
