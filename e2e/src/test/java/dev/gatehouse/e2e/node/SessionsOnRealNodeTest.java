package dev.gatehouse.e2e.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.e2e.apiserver.RealApiServer;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlProcess;
import dev.gatehouse.sandbox.kubectl.KubectlResult;
import dev.gatehouse.session.FileRecordingStore;
import dev.gatehouse.session.SessionSummary;

/**
 * kubectl 1.32 through Gatehouse (impersonate mode) to a real kube-apiserver 1.20 with a real kubelet 1.20 and
 * containerd ({@link RealNode}): exec, piped stdin, {@code kubectl cp} both ways and port-forward into a real
 * container.
 *
 * <p>The path under test is the SPDY fallback: kubectl 1.32 first tries WebSocket ({@code v5.channel.k8s.io}),
 * which a 1.20 kubelet refuses (it speaks at most v4); the gateway must hand that refusal back as an ordinary,
 * completed response, and then bridge kubectl's SPDY/3.1 POST. Alice may get and create on pods/exec, pods/attach
 * and pods/portforward, so any refusal of the WebSocket attempt is the kubelet's and not RBAC's.
 */
class SessionsOnRealNodeTest {
    private static final String NAMESPACE = "apps";
    private static final String POD = "box";
    private static final String ALICE = "alice";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static String skipped;
    private static RealApiServer api;
    private static RealNode node;
    private static NodeGateway gateway;
    private static Kubectl alice;

    @BeforeAll
    static void start() {
        RealNode.Plan plan;
        RealApiServer.Builder builder;
        try {
            RealNode.requirements();
        } catch (TestAbortedException e) {
            skipped = e.getMessage();
            return;
        }
        builder = RealApiServer.builder();
        plan = RealNode.plan(builder);
        api = builder.start();
        node = plan.start(api);
        api.grantGatewayImpersonation();
        api.createNamespace(NAMESPACE);
        grantSessions(ALICE, NAMESPACE);
        // httpd serves one page on 8080 inside the pod (for port-forward); sleep keeps the container up.
        node.runPod(NAMESPACE, POD, Duration.ofMinutes(3), "sh", "-c",
                "echo gatehouse-port-forward > /var/www/index.html && httpd -p 8080 -h /var/www && exec sleep 3600");
        gateway = NodeGateway.start(api, dir.resolve("gateway"), ALICE, "uid-alice", List.of("developers"));
        alice = gateway.kubectl(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        try {
            if (gateway != null) {
                gateway.close();
            }
        } finally {
            try {
                if (node != null) {
                    node.close();
                    assertThat(node.cleanupProblems()).as("node teardown").isEmpty();
                }
            } finally {
                if (api != null) {
                    api.close();
                }
            }
        }
    }

    @BeforeEach
    void skipWhenTheNodeCannotRun() {
        Assumptions.assumeTrue(skipped == null, () -> skipped);
    }

    /** Role + RoleBinding: read pods, and get/create on exec, attach and portforward (the verbs both protocols use). */
    private static void grantSessions(String user, String namespace) {
        ObjectNode role = JSON.createObjectNode();
        role.put("apiVersion", "rbac.authorization.k8s.io/v1");
        role.put("kind", "Role");
        role.putObject("metadata").put("name", "sessions-" + user).put("namespace", namespace);
        var rules = role.putArray("rules");
        ObjectNode read = rules.addObject();
        read.putArray("apiGroups").add("");
        read.putArray("resources").add("pods");
        read.putArray("verbs").add("get").add("list").add("watch");
        ObjectNode sessions = rules.addObject();
        sessions.putArray("apiGroups").add("");
        sessions.putArray("resources").add("pods/exec").add("pods/attach").add("pods/portforward");
        sessions.putArray("verbs").add("get").add("create");
        api.create("/apis/rbac.authorization.k8s.io/v1/namespaces/" + namespace + "/roles", role.toString());
        ObjectNode binding = JSON.createObjectNode();
        binding.put("apiVersion", "rbac.authorization.k8s.io/v1");
        binding.put("kind", "RoleBinding");
        binding.putObject("metadata").put("name", "sessions-" + user).put("namespace", namespace);
        ObjectNode ref = binding.putObject("roleRef");
        ref.put("apiGroup", "rbac.authorization.k8s.io");
        ref.put("kind", "Role");
        ref.put("name", "sessions-" + user);
        ObjectNode subject = binding.putArray("subjects").addObject();
        subject.put("apiGroup", "rbac.authorization.k8s.io");
        subject.put("kind", "User");
        subject.put("name", user);
        api.create("/apis/rbac.authorization.k8s.io/v1/namespaces/" + namespace + "/rolebindings", binding.toString());
    }

    // ------------------------------------------------------------------------------------------------
    // Helpers

    private static List<SessionSummary> summaries() throws IOException {
        if (!Files.isDirectory(gateway.sessionsDir())) {
            return List.of(); // no session has started yet
        }
        return new FileRecordingStore(gateway.sessionsDir()).list();
    }

    /** Waits (up to 10 s) until more than {@code before} sessions have ended; returns the one after {@code before}. */
    private static SessionSummary sessionAfter(int before) throws IOException, InterruptedException {
        List<SessionSummary> all = summaries();
        for (int i = 0; i < 100 && all.size() <= before; i++) {
            Thread.sleep(100);
            all = summaries();
        }
        assertThat(all).as("sessions recorded").hasSizeGreaterThan(before);
        return all.get(before);
    }

    /** The gateway's completed events for {@code subresource} of the pod, after {@code mark} request events. */
    private static List<AuditEvent> completedSince(int mark, String subresource) {
        List<AuditEvent> all = gateway.audit().requestEvents();
        return all.subList(Math.min(mark, all.size()), all.size()).stream()
                .filter(e -> AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage()))
                .filter(e -> e.objectRef() != null && subresource.equals(e.objectRef().subresource())
                        && POD.equals(e.objectRef().name()))
                .toList();
    }

    private static String describe(List<AuditEvent> events) {
        StringBuilder b = new StringBuilder();
        for (AuditEvent e : events) {
            b.append("\n  ").append(e.auditID()).append(' ').append(e.stage()).append(' ').append(e.verb()).append(' ')
                    .append(e.requestURI()).append(" -> ")
                    .append(e.responseStatus() == null ? "-" : String.valueOf(e.responseStatus().code()));
        }
        return b.toString();
    }

    /** The apiserver's completed events for alice on {@code subresource} of the pod, after {@code mark} events. */
    private static List<JsonNode> apiServerEventsSince(int mark, String subresource) {
        List<JsonNode> all = api.auditLog();
        return all.subList(Math.min(mark, all.size()), all.size()).stream()
                .filter(RealApiServer.impersonating(ALICE))
                .filter(RealApiServer.completed())
                .filter(e -> subresource.equals(e.path("objectRef").path("subresource").asText()))
                .toList();
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The WebSocket attempt and the SPDY session of one kubectl command: exactly two completed gateway events on
     * {@code subresource}, the first the kubelet's refusal ({@code refusal}) handed back as an ordinary response,
     * the second the SPDY upgrade (101) whose session is {@code summary}.
     */
    private static void assertRefusedThenSpdy(int gatewayMark, int apiMark, String subresource, int refusal,
                                              SessionSummary summary) {
        List<AuditEvent> events = completedSince(gatewayMark, subresource);
        assertThat(events).as("gateway events for " + subresource + describe(gateway.audit().requestEvents()))
                .hasSize(2);
        AuditEvent attempt = events.get(0);
        AuditEvent spdy = events.get(1);
        assertThat(attempt.responseStatus().code()).as("the refused WebSocket attempt").isEqualTo(refusal);
        assertThat(attempt.verb()).isEqualTo("create");
        assertThat(attempt.gatehouse().details()).as("an ordinary response opens no session")
                .doesNotContainKey("session");
        assertThat(spdy.responseStatus().code()).as("the SPDY upgrade").isEqualTo(101);
        assertThat(spdy.gatehouse().details()).containsEntry("session", summary.id());
        assertThat(summary.auditID()).isEqualTo(spdy.auditID());
        assertThat(summary.protocol()).startsWith("spdy/");
        // The apiserver authorized both (alice may get and create): the refusal was the kubelet's.
        List<JsonNode> upstream = apiServerEventsSince(apiMark, subresource);
        assertThat(upstream).as("apiserver events for " + subresource).hasSize(2);
        assertThat(upstream).allSatisfy(e -> assertThat(e.path("annotations").path("authorization.k8s.io/decision").asText())
                .isEqualTo("allow"));
        // (the 1.20 apiserver audits every hijacked upgrade as 101, whatever the kubelet answered)
        assertThat(upstream.get(0).path("verb").asText()).isEqualTo("get");
        assertThat(upstream.get(1).path("verb").asText()).isEqualTo("create");
        assertThat(upstream.get(1).path("responseStatus").path("code").asInt()).isEqualTo(101);
    }

    // ------------------------------------------------------------------------------------------------
    // Tests

    /**
     * The control: the same kubectl commands straight to the apiserver with the gateway's own credential impersonating
     * alice (what the gateway sends upstream), no gateway in between. It shows the node, the pod and the SPDY fallback
     * work by themselves, so a failure of the tests through the gateway is the gateway's.
     */
    @Test
    void withoutTheGatewayKubectlFallsBackToSpdyOnTheNode() throws Exception {
        try (Kubectl direct = Kubectl.create(api.kubeconfig(api.gatewayToken(), ALICE, java.util.Map.of()),
                new Kubectl.Options(Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(60)))) {
            int apiMark = api.auditLog().size();
            KubectlResult exec = direct.run("-n", NAMESPACE, "exec", POD, "--", "sh", "-c", "echo hi; exit 3");
            assertThat(exec.exitCode()).as(exec.toString()).isEqualTo(3);
            assertThat(exec.stdout()).isEqualTo("hi\n");
            List<JsonNode> upstream = apiServerEventsSince(apiMark, "exec");
            assertThat(upstream).as("apiserver events for exec").hasSize(2);
            // the WebSocket attempt (GET, authorized) and the SPDY POST; the 1.20 apiserver audits every hijacked
            // upgrade as 101, whatever the kubelet answered, so only the gateway's log shows the kubelet's 403
            assertThat(upstream.get(0).path("verb").asText()).isEqualTo("get");
            assertThat(upstream.get(0).path("annotations").path("authorization.k8s.io/decision").asText()).isEqualTo("allow");
            assertThat(upstream.get(1).path("verb").asText()).isEqualTo("create");
            assertThat(upstream.get(1).path("responseStatus").path("code").asInt()).isEqualTo(101);

            KubectlResult stdin = direct.runWithInput("first\nsecond\n", "-n", NAMESPACE, "exec", "-i", POD, "--", "cat");
            assertThat(stdin.succeeded()).as(stdin.toString()).isTrue();
            assertThat(stdin.stdout()).isEqualTo("first\nsecond\n");

            KubectlProcess forward = direct.start("-n", NAMESPACE, "port-forward", "pod/" + POD, ":8080");
            try {
                Optional<String> line = forward.awaitLine(l -> l.startsWith("Forwarding from 127.0.0.1:"), Duration.ofSeconds(60));
                assertThat(line).as("kubectl port-forward output: " + forward.lines() + " / " + forward.stderr()).isPresent();
                Matcher port = Pattern.compile("127\\.0\\.0\\.1:(\\d+) ->").matcher(line.get());
                assertThat(port.find()).isTrue();
                try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port.group(1) + "/index.html"))
                            .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).isEqualTo("gatehouse-port-forward\n");
                }
            } finally {
                forward.stop();
            }
        }
    }

    @Test
    void execFallsBackToSpdyAndKeepsTheExitCode() throws Exception {
        int before = summaries().size();
        int gatewayMark = gateway.audit().requestEvents().size();
        int apiMark = api.auditLog().size();
        KubectlResult exec = alice.run("-n", NAMESPACE, "exec", POD, "--", "sh", "-c", "echo hi; exit 3");
        // First the refusal: the kubelet's 403 to the WebSocket attempt, handed back as an ordinary completed response.
        List<AuditEvent> events = completedSince(gatewayMark, "exec");
        assertThat(events).as("gateway events for exec (kubectl: " + exec + ")" + describe(events)).isNotEmpty();
        assertThat(events.get(0).responseStatus().code()).as("the refused WebSocket attempt").isEqualTo(403);
        assertThat(exec.exitCode()).as(exec.toString()).isEqualTo(3);
        assertThat(exec.stdout()).isEqualTo("hi\n");
        assertThat(exec.stderr()).contains("command terminated with exit code 3");
        SessionSummary summary = sessionAfter(before);
        assertThat(summary.user()).isEqualTo(ALICE);
        assertThat(summary.namespace()).isEqualTo(NAMESPACE);
        assertThat(summary.pod()).isEqualTo(POD);
        assertThat(summary.subresource()).isEqualTo("exec");
        assertThat(summary.command()).containsExactly("sh", "-c", "echo hi; exit 3");
        assertThat(summary.exitCode()).isEqualTo(3);
        assertThat(summary.stdoutBytes()).isEqualTo(3);
        assertRefusedThenSpdy(gatewayMark, apiMark, "exec", 403, summary);
        assertThat(Files.readString(gateway.sessionsDir().resolve(summary.id() + ".cast"))).contains("\"o\",\"hi\\n\"");
    }

    @Test
    void pipedStdinReachesTheContainer() throws Exception {
        int before = summaries().size();
        KubectlResult exec = alice.runWithInput("first\nsecond\n", "-n", NAMESPACE, "exec", "-i", POD, "--", "cat");
        assertThat(exec.succeeded()).as(exec.toString()).isTrue();
        assertThat(exec.stdout()).isEqualTo("first\nsecond\n");
        SessionSummary summary = sessionAfter(before);
        assertThat(summary.protocol()).startsWith("spdy/");
        assertThat(summary.stdin()).isTrue();
        assertThat(summary.stdinBytes()).isEqualTo(13);
        assertThat(summary.stdoutBytes()).isEqualTo(13);
        assertThat(summary.exitCode()).isZero();
    }

    @Test
    void kubectlCpBothWays() throws Exception {
        Path local = dir.resolve("notes.txt");
        Files.writeString(local, "copied through Gatehouse to a real container\n");
        int beforeUp = summaries().size();
        KubectlResult up = alice.run("cp", local.toString(), NAMESPACE + "/" + POD + ":/tmp/notes.txt");
        assertThat(up.succeeded()).as(up.toString()).isTrue();
        // the file is really in the container's filesystem
        KubectlResult cat = alice.run("-n", NAMESPACE, "exec", POD, "--", "cat", "/tmp/notes.txt");
        assertThat(cat.succeeded()).as(cat.toString()).isTrue();
        assertThat(cat.stdout()).isEqualTo("copied through Gatehouse to a real container\n");
        // kubectl cp ran `test -d` and then `tar xmf -` in the container (two SPDY sessions), then our cat (a third)
        List<SessionSummary> all = summaries();
        for (int i = 0; i < 100 && all.size() < beforeUp + 3; i++) {
            Thread.sleep(100);
            all = summaries();
        }
        List<SessionSummary> sessions = all.subList(beforeUp, all.size());
        assertThat(sessions).as("sessions of cp and cat").hasSize(3);
        assertThat(sessions).allSatisfy(s -> assertThat(s.protocol()).startsWith("spdy/"));
        List<SessionSummary.CopiedFile> toPod = sessions.stream().flatMap(s -> s.files().stream()).toList();
        assertThat(toPod).as("files in " + sessions).singleElement().satisfies(f -> {
            assertThat(f.direction()).isEqualTo("to-pod");
            assertThat(f.path()).isEqualTo("notes.txt");
            assertThat(f.sha256()).isEqualTo(sha256(local));
        });

        // and back: a file the container wrote itself
        KubectlResult write = alice.run("-n", NAMESPACE, "exec", POD, "--", "sh", "-c",
                "echo made-in-the-pod > /tmp/from-pod.txt");
        assertThat(write.succeeded()).as(write.toString()).isTrue();
        Path back = dir.resolve("from-pod.txt");
        int before = summaries().size();
        KubectlResult down = alice.run("cp", NAMESPACE + "/" + POD + ":/tmp/from-pod.txt", back.toString());
        assertThat(down.succeeded()).as(down.toString()).isTrue();
        assertThat(Files.readString(back)).isEqualTo("made-in-the-pod\n");
        SessionSummary fromPod = sessionAfter(before);
        assertThat(fromPod.protocol()).startsWith("spdy/");
        assertThat(fromPod.files()).singleElement().satisfies(f -> {
            assertThat(f.direction()).isEqualTo("from-pod");
            assertThat(f.path()).isEqualTo("tmp/from-pod.txt");
            assertThat(f.sha256()).isEqualTo(sha256(back));
        });
    }

    @Test
    void portForwardCarriesRealTcpBytes() throws Exception {
        int before = summaries().size();
        int gatewayMark = gateway.audit().requestEvents().size();
        KubectlProcess forward = alice.start("-n", NAMESPACE, "port-forward", "pod/" + POD, ":8080");
        String body;
        try {
            Optional<String> line = forward.awaitLine(l -> l.startsWith("Forwarding from 127.0.0.1:"), Duration.ofSeconds(60));
            assertThat(line).as("kubectl port-forward output: " + forward.lines() + " / " + forward.stderr()).isPresent();
            Matcher port = Pattern.compile("127\\.0\\.0\\.1:(\\d+) ->").matcher(line.get());
            assertThat(port.find()).isTrue();
            try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port.group(1) + "/index.html"))
                        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                body = r.body();
            }
        } finally {
            forward.stop();
        }
        assertThat(body).isEqualTo("gatehouse-port-forward\n");
        SessionSummary summary = sessionAfter(before);
        assertThat(summary.subresource()).isEqualTo("portforward");
        assertThat(summary.protocol()).startsWith("spdy/");
        assertThat(summary.forwards()).isNotEmpty();
        assertThat(summary.forwards()).allSatisfy(f -> assertThat(f.port()).isEqualTo(8080));
        assertThat(summary.forwards().stream().mapToLong(SessionSummary.Forward::bytesFromPod).sum())
                .isGreaterThan(body.length());
        List<AuditEvent> events = completedSince(gatewayMark, "portforward");
        assertThat(events).as(describe(events)).hasSize(2);
        assertThat(events.get(0).responseStatus().code()).as("the refused WebSocket attempt").isBetween(400, 499);
        assertThat(events.get(1).responseStatus().code()).isEqualTo(101);
    }

    /** Holds pods/exec in the test's namespace until a member of group sre approves. */
    private static final String HOLD_EXEC = """
            apiVersion: gatehouse.dev/v1
            kind: Policy
            default: allow
            reviewers:
              sre: {groups: [sre], approvals: 1, holdTime: 40s, validity: once}
            rules:
              - name: hold-exec-in-apps
                match: {resources: [pods/exec], namespaces: [%s]}
                decision: review
                reviewers: sre
            """.formatted(NAMESPACE);

    /**
     * A held exec to the 1.20 node: kubectl 1.32 asks for WebSocket first, which the gateway (knowing the cluster's
     * version) refuses at once, as the kubelet would, before any review; kubectl falls back to SPDY by itself, and
     * that session is held. An sre approves, and the command runs and prints its output: one review, one session.
     */
    @Test
    void aHeldExecFallsBackToSpdyBeforeTheHoldAndRunsOnceApproved() throws Exception {
        Path policy = RealApiServer.write(dir.resolve("held/policy/rules.yaml"), HOLD_EXEC, false).getParent();
        try (NodeGateway held = NodeGateway.start(api, dir.resolve("held/gateway"),
                new NodeGateway.User(ALICE, "uid-alice", List.of("developers")),
                List.of(new NodeGateway.User("dana", "uid-dana", List.of("sre"))), policy)) {
            Kubectl kubectl = held.kubectl(new Kubectl.Options(Duration.ofSeconds(90), null, Duration.ofSeconds(120)));
            int apiMark = api.auditLog().size();
            CompletableFuture<KubectlResult> exec = CompletableFuture.supplyAsync(() -> kubectl.run("-n", NAMESPACE,
                    "exec", POD, "--", "echo", "held-then-ran"));
            JsonNode review = held.pendingReview("dana", "pods/exec " + POD);
            String id = review.path("id").asText();
            assertThat(apiServerEventsSince(apiMark, "exec")).as("nothing reaches the cluster while held").isEmpty();
            String[] approved = held.gatehouse("dana", "reviews", "approve", id, "--reason", "e2e on the real node");
            assertThat(approved[0]).as(approved[2]).isEqualTo("0");

            KubectlResult result = exec.get(90, TimeUnit.SECONDS);
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).isEqualTo("held-then-ran\n");
            assertThat(result.stderr()).contains("held for review " + id).contains("gatehouse reviews approve " + id);
            assertThat(held.reviews("dana", "all")).as("reviews opened").singleElement()
                    .satisfies(r -> assertThat(r.path("id").asText()).isEqualTo(id));

            // the gateway: the WebSocket attempt refused (recorded, saying why), then the held SPDY session (101)
            List<AuditEvent> events = held.audit().requestEvents().stream()
                    .filter(e -> AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage()))
                    .filter(e -> e.objectRef() != null && "exec".equals(e.objectRef().subresource()))
                    .toList();
            assertThat(events).as(describe(events)).hasSize(2);
            AuditEvent refused = events.get(0);
            assertThat(refused.responseStatus().code()).isEqualTo(403);
            assertThat(refused.verb()).isEqualTo("create");
            assertThat(refused.gatehouse().reason()).startsWith("cluster \"" + NodeGateway.CLUSTER + "\" (v1.20.")
                    .endsWith("takes exec sessions over SPDY only; the gateway holds them there (kubectl falls back "
                            + "by itself)");
            assertThat(refused.gatehouse().details()).containsEntry("fallback", "spdy")
                    .containsEntry("rule", "hold-exec-in-apps").doesNotContainKey("reviewId");
            assertThat(refused.gatehouse().details().get("clusterVersion")).startsWith("v1.20.");
            AuditEvent session = events.get(1);
            assertThat(session.responseStatus().code()).isEqualTo(101);
            assertThat(session.verb()).isEqualTo("create");
            assertThat(session.gatehouse().details()).containsEntry("reviewId", id);
            // the cluster: only the approved SPDY session, as alice
            List<JsonNode> upstream = apiServerEventsSince(apiMark, "exec");
            assertThat(upstream).as("apiserver events for exec").singleElement()
                    .satisfies(e -> assertThat(e.path("verb").asText()).isEqualTo("create"));
        }
    }
}
