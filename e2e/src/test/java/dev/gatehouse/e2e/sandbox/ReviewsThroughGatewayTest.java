package dev.gatehouse.e2e.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.cli.Main;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.sandbox.SandboxOptions;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlResult;
import dev.gatehouse.sandbox.recording.ReceivedRequest;
import picocli.CommandLine;

/**
 * Just-in-time review with the real kubectl: a held command waits in the gateway until a second person approves it
 * with {@code gatehouse reviews approve}, and then completes; denials, expiry and the retry path, time-boxed grants,
 * self-approval, two of three approvers — each checked by kubectl's result, what the cluster received (the exact
 * bytes that were held), and the audit events that link the review to the request.
 */
class ReviewsThroughGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CAROL_TOKEN = "carol-e2e-token-0123456789";
    static final String DANA_TOKEN = "dana-e2e-token-0123456789";
    static final String ERIN_TOKEN = "erin-e2e-token-0123456789";

    static final String POLICY = """
            apiVersion: gatehouse.dev/v1
            kind: Policy
            default: allow
            reviewers:
              sre: {groups: [sre], approvals: 1, holdTime: 40s, validity: once}
              quick: {groups: [sre], approvals: 1, holdTime: 2s, validity: once}
              two-of-three: {groups: [sre], approvals: 2, holdTime: 40s}
            rules:
              - name: hold-namespace-delete
                match: {verbs: [delete], resources: [namespaces]}
                decision: review
                reviewers: sre
              - name: hold-configmap-deletes
                match: {verbs: [delete], resources: [configmaps], namespaces: [dev]}
                decision: review
                reviewers: quick
              - name: two-for-secret-deletes
                match: {verbs: [delete], resources: [secrets]}
                decision: review
                reviewers: two-of-three
              - name: hold-exec-in-prod
                match: {resources: [pods/exec], namespaces: [prod]}
                decision: review
                reviewers: sre
              - name: no-deletes-of-services
                match: {verbs: [delete], resources: [services]}
                decision: deny
                message: "services are deleted by the release pipeline, not by hand"
            """;

    @TempDir
    static Path dir;

    private static GatewayFixture fixture;
    private static Kubectl alice;
    private static io.vertx.core.Vertx hooks;
    private static io.vertx.core.http.HttpServer hookServer;
    /** What the review webhook received, as posted. */
    private static final List<String> notifications = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        hooks = io.vertx.core.Vertx.vertx();
        hookServer = hooks.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            notifications.add(body.toString());
            request.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Files.createDirectories(dir.resolve("policy"));
        Files.writeString(dir.resolve("policy/rules.yaml"), POLICY);
        fixture = new GatewayFixture(dir, SandboxOptions.defaults(),
                new GatehouseConfig.ReadersConfig(List.of("auditors"), List.of()), null,
                new GatehouseConfig.PolicyConfig(dir.resolve("policy"), Duration.ofMillis(200)),
                new GatehouseConfig.ReviewsConfig(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofMillis(200),
                        new GatehouseConfig.GrantsConfig(new GatehouseConfig.ReadersConfig(List.of("sre"), List.of()),
                                1, true, Duration.ofHours(8)),
                        List.of(new GatehouseConfig.NotifyConfig("hooks", java.net.URI.create("http://127.0.0.1:"
                                + hookServer.actualPort() + "/review-hook"), "json", null, null, null))),
                CAROL_TOKEN + ",carol,uid-carol,auditors\n" + DANA_TOKEN + ",dana,uid-dana,sre\n"
                        + ERIN_TOKEN + ",erin,uid-erin,sre\n");
        alice = fixture.kubectl(GatewayFixture.ALICE_TOKEN);
        Files.writeString(dir.resolve("ca.crt"), fixture.gatewayCaPem);
        for (String[] user : new String[][] {{"alice", GatewayFixture.ALICE_TOKEN}, {"bob", GatewayFixture.BOB_TOKEN},
                {"carol", CAROL_TOKEN}, {"dana", DANA_TOKEN}, {"erin", ERIN_TOKEN}}) {
            Files.writeString(dir.resolve(user[0] + ".token"), user[1]);
        }
    }

    @AfterAll
    static void stop() {
        alice.close();
        fixture.close();
        hooks.close();
    }

    @Test
    void aHeldNamespaceDeleteIsReleasedByASecondPersonsApproval() throws Exception {
        assertThat(alice.run("create", "namespace", "scratch-approved").succeeded()).isTrue();
        int mark = fixture.sandbox.received().size();
        CompletableFuture<KubectlResult> delete = background(() -> alice.run(Duration.ofSeconds(60), null, "delete",
                "namespace", "scratch-approved"));
        JsonNode review = pendingReview("scratch-approved");
        String id = review.path("id").asText();
        assertThat(fixture.receivedSince(mark)).as("nothing reaches the cluster while held")
                .noneMatch(r -> r.method().equals("DELETE"));

        String[] own = cli("alice", "reviews", "approve", id);
        assertThat(own[0]).as("alice approving her own request").isNotEqualTo("0");
        assertThat(own[2]).contains("403");
        String[] auditor = cli("carol", "reviews", "approve", id);
        assertThat(auditor[0]).as("an auditor approving").isNotEqualTo("0");
        assertThat(delete).as("still held after refused approvals").isNotDone();

        String[] approved = cli("bob", "reviews", "approve", id, "--reason", "cleanup ticket 7");
        assertThat(approved[0]).as(approved[2]).isEqualTo("0");
        KubectlResult result = delete.get(30, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("namespace \"scratch-approved\" deleted");

        List<ReceivedRequest> deletes = fixture.receivedSince(mark).stream()
                .filter(r -> r.method().equals("DELETE") && r.rawPath().endsWith("/namespaces/scratch-approved"))
                .toList();
        assertThat(deletes).hasSize(1);
        String heldBodySha = review.path("request").path("bodySha256").asText();
        assertThat(deletes.get(0).bodySha256()).as("the released request is byte-for-byte the held one")
                .isEqualTo(heldBodySha.isEmpty() ? sha256("") : heldBodySha);

        String auditId = deletes.get(0).header("Audit-ID");
        AuditEvent completed = fixture.audit.completed(auditId);
        assertThat(completed.responseStatus().code()).isEqualTo(200);
        assertThat(completed.gatehouse().decision()).isEqualTo("allow");
        assertThat(completed.gatehouse().details()).containsEntry("reviewId", id)
                .containsEntry("rule", "hold-namespace-delete");
        List<AuditEvent> steps = reviewEvents(id);
        assertThat(steps).extracting(AuditEvent::verb).contains("created", "approved");
        assertThat(steps).allSatisfy(e -> assertThat(e.gatehouse().details()).containsEntry("requestAuditId", auditId));
        assertThat(steps.stream().filter(e -> e.verb().equals("approved")).findFirst().orElseThrow().user().username())
                .isEqualTo("bob");

        for (int i = 0; i < 100 && notifications.stream().filter(n -> n.contains(id)).count() < 2; i++) {
            Thread.sleep(100);
        }
        List<JsonNode> told = new ArrayList<>();
        for (String n : notifications) {
            JsonNode doc = JSON.readTree(n);
            if (doc.toString().contains(id)) {
                told.add(doc);
            }
        }
        assertThat(told).as("the webhook heard of the review").extracting(n -> n.path("event").asText())
                .contains("created", "approved");
        assertThat(notifications).noneMatch(n -> n.contains(heldBodySha.isEmpty() ? "no-body" : heldBodySha));
    }

    @Test
    void anApprovalAfterTheUserGaveUpForwardsNothing() throws Exception {
        assertThat(alice.run("create", "namespace", "scratch-abandoned").succeeded()).isTrue();
        int mark = fixture.sandbox.received().size();
        Process delete = new ProcessBuilder(Kubectl.findBinary().orElseThrow().toString(),
                "--kubeconfig=" + alice.kubeconfig(), "--cache-dir=" + alice.cacheDir(), "delete", "namespace",
                "scratch-abandoned").redirectErrorStream(true).redirectOutput(dir.resolve("abandoned.out").toFile())
                .start();
        try {
            String id = pendingReview("scratch-abandoned").path("id").asText();
            delete.destroy(); // Ctrl-C while held
            assertThat(delete.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(300);
            assertThat(cli("bob", "reviews", "approve", id)[0]).isEqualTo("0");
            Thread.sleep(1000);
            assertThat(fixture.receivedSince(mark)).as("nobody waits for it: not forwarded")
                    .noneMatch(r -> r.method().equals("DELETE"));
            assertThat(alice.run("get", "namespace", "scratch-abandoned").succeeded()).isTrue();
        } finally {
            delete.destroyForcibly();
        }
    }

    @Test
    void aDeniedReviewEndsTheCommandWithTheReviewersReason() throws Exception {
        assertThat(alice.run("create", "namespace", "scratch-denied").succeeded()).isTrue();
        CompletableFuture<KubectlResult> delete = background(() -> alice.run(Duration.ofSeconds(60), null, "delete",
                "namespace", "scratch-denied"));
        String id = pendingReview("scratch-denied").path("id").asText();
        String[] denied = cli("bob", "reviews", "deny", id, "--reason", "not during the freeze");
        assertThat(denied[0]).as(denied[2]).isEqualTo("0");
        KubectlResult result = delete.get(30, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains(id).contains("denied by bob").contains("not during the freeze");
        assertThat(alice.run("get", "namespace", "scratch-denied").succeeded()).as("still there").isTrue();
    }

    @Test
    void anExpiredHoldNamesTheReviewAndTheRetryPassesOnceApproved() throws Exception {
        assertThat(alice.run("create", "configmap", "held-retry", "--from-literal=a=b").succeeded()).isTrue();
        KubectlResult first = alice.run("delete", "configmap", "held-retry");
        assertThat(first.exitCode()).isNotZero();
        String id = first.stderr().replaceAll("(?s).*review (r-[a-z2-7]+).*", "$1");
        assertThat(id).startsWith("r-");
        assertThat(first.stderr()).contains("gatehouse reviews approve " + id).contains("sre");

        assertThat(cli("bob", "reviews", "approve", id)[0]).isEqualTo("0");
        int mark = fixture.sandbox.received().size();
        KubectlResult retry = alice.run("delete", "configmap", "held-retry");
        assertThat(retry.exitCode()).as(retry.stderr()).isZero();
        assertThat(fixture.receivedSince(mark)).filteredOn(r -> r.method().equals("DELETE")).hasSize(1);

        // approved once: the approval is used up, and does not cover another request
        assertThat(alice.run("create", "configmap", "held-retry", "--from-literal=a=b").succeeded()).isTrue();
        KubectlResult again = alice.run("delete", "configmap", "held-retry");
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.stderr()).contains("held for review").doesNotContain(id);
        String[] replayed = cli("bob", "reviews", "approve", id);
        assertThat(replayed[0]).as("an approval replayed").isNotEqualTo("0");
        assertThat(replayed[2]).contains("409");
    }

    @Test
    void anApprovalDoesNotCoverADifferentRequest() throws Exception {
        assertThat(alice.run("create", "configmap", "guarded-a", "--from-literal=a=b").succeeded()).isTrue();
        assertThat(alice.run("create", "configmap", "guarded-b", "--from-literal=a=b").succeeded()).isTrue();
        KubectlResult first = alice.run("delete", "configmap", "guarded-a");
        String id = first.stderr().replaceAll("(?s).*review (r-[a-z2-7]+).*", "$1");
        assertThat(cli("bob", "reviews", "approve", id)[0]).isEqualTo("0");

        KubectlResult other = alice.run("delete", "configmap", "guarded-b");
        assertThat(other.exitCode()).as("another object").isNotZero();
        KubectlResult changed = alice.run("delete", "configmap", "guarded-a", "--grace-period=5");
        assertThat(changed.exitCode()).as("the same object with another body").isNotZero();
        String[] bobsOwn = cli("bob", "reviews", "show", id);
        assertThat(bobsOwn[1]).contains("approved");
        assertThat(alice.run("delete", "configmap", "guarded-a").exitCode()).as("the approved request").isZero();
    }

    @Test
    void twoOfThreeApproversAreNeeded() throws Exception {
        assertThat(alice.run("create", "secret", "generic", "two-approvers", "--from-literal=k=v").succeeded())
                .isTrue();
        CompletableFuture<KubectlResult> delete = background(() -> alice.run(Duration.ofSeconds(60), null, "delete",
                "secret", "two-approvers"));
        String id = pendingReview("two-approvers").path("id").asText();
        String[] one = cli("bob", "reviews", "approve", id);
        assertThat(one[0]).as(one[2]).isEqualTo("0");
        assertThat(one[1]).contains("1/2");
        assertThat(cli("bob", "reviews", "approve", id)[0]).as("the same approver twice").isNotEqualTo("0");
        Thread.sleep(500);
        assertThat(delete).as("one approval of two").isNotDone();
        String[] two = cli("dana", "reviews", "approve", id);
        assertThat(two[0]).as(two[2]).isEqualTo("0");
        KubectlResult result = delete.get(30, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
    }

    @Test
    void aTimeBoxedGrantLetsRequestsThroughUntilItExpires() throws Exception {
        String[] asked = cli("alice", "request", "--cluster", "sandbox", "--namespace", "dev", "--verbs", "delete",
                "--resources", "configmaps", "--for", "4s", "--reason", "clean up the test maps");
        assertThat(asked[0]).as(asked[2]).isEqualTo("0");
        String grant = asked[1].replaceAll("(?s).*(g-[a-z2-7]{26}).*", "$1");
        assertThat(cli("alice", "grants", "approve", grant)[0]).as("self-approval").isNotEqualTo("0");
        String[] approved = cli("bob", "grants", "approve", grant, "--reason", "on call today");
        assertThat(approved[0]).as(approved[2]).isEqualTo("0");

        assertThat(alice.run("create", "configmap", "granted", "--from-literal=a=b").succeeded()).isTrue();
        int mark = fixture.sandbox.received().size();
        KubectlResult used = alice.run("delete", "configmap", "granted");
        assertThat(used.exitCode()).as(used.stderr()).isZero();
        String auditId = fixture.receivedSince(mark).stream().filter(r -> r.method().equals("DELETE")).findFirst()
                .orElseThrow().header("Audit-ID");
        assertThat(fixture.audit.completed(auditId).gatehouse().details()).containsEntry("grantId", grant);

        Thread.sleep(4500);
        assertThat(alice.run("create", "configmap", "granted", "--from-literal=a=b").succeeded()).isTrue();
        KubectlResult expired = alice.run("delete", "configmap", "granted");
        assertThat(expired.exitCode()).as("after the grant expired").isNotZero();
        assertThat(expired.stderr()).contains("held for review");
    }

    @Test
    void anExecInProdShowsThePendingReviewAndRunsOnceApproved() throws Exception {
        String pod = alice.run("get", "pods", "-n", "prod", "-o", "name").stdout().lines().findFirst().orElseThrow()
                .replace("pod/", "");
        int mark = fixture.sandbox.received().size();
        CompletableFuture<KubectlResult> exec = background(() -> alice.run(Duration.ofSeconds(60), null, "exec",
                "-n", "prod", pod, "--", "echo", "held-then-ran"));
        JsonNode review = pendingReview("pods/exec " + pod);
        assertThat(fixture.receivedSince(mark)).as("no session reaches the cluster while held")
                .noneMatch(r -> r.rawPath().endsWith("/exec"));
        String[] approved = cli("bob", "reviews", "approve", review.path("id").asText());
        assertThat(approved[0]).as(approved[2]).isEqualTo("0");
        KubectlResult result = exec.get(30, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("held-then-ran");
        assertThat(result.stderr()).contains("held for review " + review.path("id").asText())
                .contains("gatehouse reviews approve " + review.path("id").asText());
        assertThat(fixture.receivedSince(mark)).filteredOn(r -> r.rawPath().endsWith("/exec")).hasSize(1);
    }

    /**
     * The same held exec to a cluster that takes sessions over SPDY only (the sandbox as a 1.20 node, whose /version
     * says so): the gateway refuses kubectl's WebSocket attempt before any review, as the node would, kubectl falls
     * back to SPDY by itself, and that session is held and released by one approval.
     */
    @Test
    void aHeldExecToAClusterThatTakesSpdyOnlyFallsBackBeforeTheHold() throws Exception {
        try (GatewayFixture old = new GatewayFixture(Files.createDirectories(dir.resolve("old")),
                SandboxOptions.builder().webSocketStreams(false).build(), null, null,
                new GatehouseConfig.PolicyConfig(dir.resolve("policy"), Duration.ofMillis(200)),
                new GatehouseConfig.ReviewsConfig(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofMillis(200),
                        null, List.of()), "");
             Kubectl toOld = old.kubectl(GatewayFixture.ALICE_TOKEN)) {
            String pod = toOld.run("get", "pods", "-n", "prod", "-o", "name").stdout().lines().findFirst()
                    .orElseThrow().replace("pod/", "");
            CompletableFuture<KubectlResult> exec = background(() -> toOld.run(Duration.ofSeconds(60), null, "exec",
                    "-n", "prod", pod, "--", "echo", "held-then-ran"));
            String id = null;
            for (int i = 0; i < 200 && id == null; i++) {
                for (JsonNode item : JSON.readTree(cli(old, "bob", "reviews", "list", "-o", "json")[1]).path("items")) {
                    id = item.path("id").asText();
                }
                Thread.sleep(100);
            }
            assertThat(id).as("a pending review").isNotNull();
            String[] approved = cli(old, "bob", "reviews", "approve", id);
            assertThat(approved[0]).as(approved[2]).isEqualTo("0");
            KubectlResult result = exec.get(30, TimeUnit.SECONDS);
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout()).contains("held-then-ran");
            assertThat(result.stderr()).contains("held for review " + id);
            assertThat(JSON.readTree(cli(old, "bob", "reviews", "list", "--state", "all", "-o", "json")[1])
                    .path("items")).as("one review").hasSize(1);
            List<ReceivedRequest> execs = old.sandbox.received().stream().filter(r -> r.rawPath().endsWith("/exec"))
                    .toList();
            assertThat(execs).as("only the SPDY session reached the cluster").singleElement()
                    .satisfies(r -> assertThat(r.method()).isEqualTo("POST"));
            List<AuditEvent> refused = old.audit.requestEvents().stream()
                    .filter(e -> AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage())
                            && e.responseStatus().code() == 403 && e.requestURI().contains("/exec")).toList();
            assertThat(refused).singleElement().satisfies(e -> {
                assertThat(e.gatehouse().reason()).isEqualTo("cluster \"sandbox\" (v1.20.2) takes exec sessions "
                        + "over SPDY only; the gateway holds them there (kubectl falls back by itself)");
                assertThat(e.gatehouse().details()).containsEntry("fallback", "spdy")
                        .containsEntry("clusterVersion", "v1.20.2").doesNotContainKey("reviewId");
            });
        }
    }

    @Test
    void aDeniedExecEndsTheSessionWithTheReason() throws Exception {
        String pod = alice.run("get", "pods", "-n", "prod", "-o", "name").stdout().lines().skip(1).findFirst()
                .orElseThrow().replace("pod/", "");
        int mark = fixture.sandbox.received().size();
        CompletableFuture<KubectlResult> exec = background(() -> alice.run(Duration.ofSeconds(60), null, "exec",
                "-n", "prod", pod, "--", "echo", "never"));
        JsonNode review = pendingReview("pods/exec " + pod);
        assertThat(cli("bob", "reviews", "deny", review.path("id").asText(), "--reason", "use the runbook")[0])
                .isEqualTo("0");
        KubectlResult result = exec.get(30, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stdout()).doesNotContain("never");
        assertThat(result.stderr()).contains("denied by bob").contains("use the runbook");
        assertThat(fixture.receivedSince(mark)).noneMatch(r -> r.rawPath().endsWith("/exec"));
    }

    @Test
    void aDenyRuleEndsTheCommandWithItsMessage() {
        KubectlResult result = alice.run("delete", "service", "web", "-n", "dev");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("services are deleted by the release pipeline, not by hand");
    }

    @Test
    void aBrokenPolicyEditKeepsThePreviousPolicy() throws Exception {
        Path extra = dir.resolve("policy/zz-extra.yaml");
        Files.writeString(extra, "apiVersion: gatehouse.dev/v1\nkind: Policy\nrules:\n  - name: broken\n"
                + "    match: {verbs: [get]}\n    when: 'objet.spec > 1'\n    decision: deny\n");
        List<AuditEvent> rejected = List.of();
        for (int i = 0; i < 100 && rejected.isEmpty(); i++) {
            Thread.sleep(100);
            rejected = fixture.audit.events().stream().filter(e -> e.gatehouse() != null
                    && "policy".equals(e.gatehouse().type()) && "rejected".equals(e.gatehouse().decision())).toList();
        }
        assertThat(rejected).as("the rejected edit is evidence").isNotEmpty();
        assertThat(rejected.get(0).gatehouse().reason()).contains("zz-extra.yaml").contains("broken");
        KubectlResult stillDenied = alice.run("delete", "service", "web", "-n", "dev");
        assertThat(stillDenied.stderr()).contains("release pipeline");
        assertThat(alice.run("get", "pods").succeeded()).as("the broken rule never applied").isTrue();
        Files.delete(extra);
    }

    @Test
    void simulateReplaysTheRecordedRequestsAgainstACandidatePolicy() throws Exception {
        int mark = fixture.sandbox.received().size();
        assertThat(alice.run("create", "configmap", "simulated", "--from-literal=a=b").succeeded()).isTrue();
        String created = fixture.receivedSince(mark).stream().filter(r -> r.method().equals("POST")).findFirst()
                .orElseThrow().header("Audit-ID");
        Path candidate = dir.resolve("candidate.yaml");
        Files.writeString(candidate, POLICY + """
                  - name: freeze-configmap-writes
                    match: {verbs: [create], resources: [configmaps]}
                    decision: deny
                    message: "configuration is frozen"
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int code = command.execute("policy", "simulate", "--policy", candidate.toString(), "--log-dir",
                dev.gatehouse.Gatehouse.auditDirectory(fixture.config).toString(), "-o", "json");
        assertThat(code).as(err.toString()).isZero();
        JsonNode report = JSON.readTree(out.toString());
        assertThat(report.toString()).contains("freeze-configmap-writes");
        boolean found = false;
        for (JsonNode changed : report.path("changes")) {
            if (changed.path("auditID").asText().equals(created)) {
                assertThat(changed.path("recorded").asText()).isEqualTo("allow");
                assertThat(changed.path("candidate").asText()).isEqualTo("deny");
                found = true;
            }
        }
        assertThat(found).as("the create of configmap simulated would have been denied: " + report).isTrue();
    }

    /** The pending review whose description names {@code what}, as bob (an approver) lists it; waits for it. */
    private static JsonNode pendingReview(String what) throws Exception {
        for (int i = 0; i < 200; i++) {
            String[] list = cli("bob", "reviews", "list", "-o", "json");
            assertThat(list[0]).as(list[2]).isEqualTo("0");
            for (JsonNode item : JSON.readTree(list[1]).path("items")) {
                if (item.path("description").asText().contains(what)) {
                    return item;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no pending review of " + what);
    }

    private static List<AuditEvent> reviewEvents(String id) {
        return fixture.audit.events().stream().filter(e -> e.gatehouse() != null && "review".equals(e.gatehouse().type())
                && e.gatehouse().details() != null && id.equals(e.gatehouse().details().get("reviewId"))).toList();
    }

    private static <T> CompletableFuture<T> background(java.util.function.Supplier<T> task) {
        return CompletableFuture.supplyAsync(task);
    }

    /** {@code gatehouse ARGS --server … --token-file <who>.token} in this JVM: exit code, stdout, stderr. */
    static String[] cli(String who, String... args) {
        return cli(fixture, who, args);
    }

    /** {@code gatehouse ARGS} against the gateway of {@code on} (its CA written beside the first one's). */
    static String[] cli(GatewayFixture on, String who, String... args) {
        if (on != fixture) {
            try {
                Files.writeString(dir.resolve("ca-" + on.gateway.port() + ".crt"), on.gatewayCaPem);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", "https://127.0.0.1:" + on.gateway.port(), "--certificate-authority",
                dir.resolve(on == fixture ? "ca.crt" : "ca-" + on.gateway.port() + ".crt").toString(), "--token-file",
                dir.resolve(who + ".token").toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int code = command.execute(all.toArray(String[]::new));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    private static String sha256(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
