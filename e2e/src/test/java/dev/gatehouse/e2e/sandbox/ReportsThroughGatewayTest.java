package dev.gatehouse.e2e.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.cli.Main;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.report.ReportAnswer;
import dev.gatehouse.report.ReportFormat;
import dev.gatehouse.sandbox.SandboxOptions;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlResult;
import dev.gatehouse.session.FileRecordingStore;
import dev.gatehouse.session.SessionSummary;

/**
 * The reports from a run of real kubectl traffic through the gateway: alice creates and reads a Secret, is denied a
 * Service delete, has a ConfigMap delete held and approved by dana, copies a file into a pod; then carol (an
 * auditor) asks the live gateway for the answers with {@code gatehouse report --server}, and each answer holds the
 * events it must (by the audit IDs the log gave those requests), reproduces with {@code gatehouse report check}
 * against the log directory, and an edited copy does not.
 */
class ReportsThroughGatewayTest {
    static final String CAROL_TOKEN = "carol-reports-token-0123456789";
    static final String DANA_TOKEN = "dana-reports-token-0123456789";
    static final String POLICY = """
            apiVersion: gatehouse.dev/v1
            kind: Policy
            default: allow
            reviewers:
              sre: {groups: [sre], approvals: 1, holdTime: 40s, validity: once}
            rules:
              - name: hold-configmap-deletes
                match: {verbs: [delete], resources: [configmaps], namespaces: [dev]}
                decision: review
                reviewers: sre
              - name: no-deletes-of-services
                match: {verbs: [delete], resources: [services]}
                decision: deny
                message: "services are deleted by the release pipeline"
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static GatewayFixture fixture;
    static Kubectl alice;
    static String reviewId;
    static Path copied;

    @BeforeAll
    static void traffic() throws Exception {
        Files.createDirectories(dir.resolve("policy"));
        Files.writeString(dir.resolve("policy/rules.yaml"), POLICY);
        fixture = new GatewayFixture(dir, SandboxOptions.defaults(),
                new GatehouseConfig.ReadersConfig(List.of("auditors"), List.of()), null,
                new GatehouseConfig.PolicyConfig(dir.resolve("policy"), Duration.ofMillis(200)),
                new GatehouseConfig.ReviewsConfig(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofMillis(200),
                        new GatehouseConfig.GrantsConfig(new GatehouseConfig.ReadersConfig(List.of("sre"), List.of()),
                                1, true, Duration.ofHours(8)), List.of()),
                CAROL_TOKEN + ",carol,uid-carol,auditors\n" + DANA_TOKEN + ",dana,uid-dana,sre\n");
        Files.writeString(dir.resolve("ca.crt"), fixture.gatewayCaPem);
        Files.writeString(dir.resolve("carol.token"), CAROL_TOKEN);
        Files.writeString(dir.resolve("dana.token"), DANA_TOKEN);
        Files.writeString(dir.resolve("alice.token"), GatewayFixture.ALICE_TOKEN);
        alice = fixture.kubectl(GatewayFixture.ALICE_TOKEN);

        ok(alice.run("create", "secret", "generic", "report-secret", "--from-literal=password=s3cret"));
        ok(alice.run("get", "secret", "report-secret", "-o", "name"));
        ok(alice.run("create", "configmap", "report-cm", "--from-literal=a=b"));
        KubectlResult denied = alice.run("delete", "service", "report-svc");
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.stderr()).contains("services are deleted by the release pipeline");

        CompletableFuture<KubectlResult> held = CompletableFuture.supplyAsync(() -> alice.run(Duration.ofSeconds(60),
                null, "delete", "configmap", "report-cm"));
        reviewId = pendingReview("report-cm");
        String[] approved = cli("dana", "reviews", "approve", reviewId, "--reason", "cleanup INC-42");
        assertThat(approved[0]).as(approved[2]).isEqualTo("0");
        ok(held.get(30, TimeUnit.SECONDS));

        String pod = alice.run("get", "pods", "-o", "name").stdout().lines().findFirst().orElseThrow()
                .replace("pod/", "");
        copied = dir.resolve("evidence.txt");
        Files.writeString(copied, "copied for the auditor\n");
        FileRecordingStore store = new FileRecordingStore(dir.resolve("data/sessions"));
        int before = store.list().size();
        ok(alice.run("cp", copied.toString(), pod + ":/tmp/evidence.txt"));
        for (int i = 0; i < 100 && store.list().stream().noneMatch(s -> !s.files().isEmpty()); i++) {
            Thread.sleep(100);
        }
        assertThat(store.list().size()).isGreaterThan(before);
        // bob is not an auditor: his attempt is refused, and recorded
        Files.writeString(dir.resolve("bob.token"), GatewayFixture.BOB_TOKEN);
        String[] bob = cli("bob", "report", "list");
        assertThat(bob[0]).isEqualTo("2");
        assertThat(bob[2]).contains("403");
    }

    @AfterAll
    static void stop() {
        if (alice != null) {
            alice.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    static void ok(KubectlResult result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    /** The answer carol gets from the live gateway, written to a file, after it checked against the log. */
    static ReportAnswer report(String name, String... params) throws Exception {
        Path file = dir.resolve(name + ".json");
        List<String> args = new ArrayList<>(List.of("report", name, "--out", file.toString()));
        args.addAll(List.of(params));
        String[] run = cli("carol", args.toArray(String[]::new));
        assertThat(run[0]).as(run[2]).isEqualTo("0");
        ReportAnswer answer = ReportFormat.read(Files.readString(file));
        String[] check = local("report", "check", file.toString(), "--log-dir", dir.resolve("data/audit").toString());
        assertThat(check[0]).as(name + ": " + check[2]).isEqualTo("0");
        assertThat(check[1]).contains("OK: " + name + ", " + answer.count() + " records, rows sha256 "
                + answer.rowsSha256());
        return answer;
    }

    static List<String> column(ReportAnswer a, String name) {
        int i = a.columns().indexOf(name);
        return a.rows().stream().map(r -> r.get(i)).toList();
    }

    /** The audit ID of alice's completed request with this verb on this resource and name (null for a create). */
    static String auditId(String verb, String resource, String name) {
        return fixture.audit.requestEvents().stream().filter(e -> AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage())
                && "alice".equals(e.user().username()) && verb.equals(e.verb()) && e.objectRef() != null
                && resource.equals(e.objectRef().resource()) && java.util.Objects.equals(name, e.objectRef().name()))
                .map(AuditEvent::auditID).reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no " + verb + " "
                        + resource + "/" + name + " by alice"));
    }

    @Test
    void privilegedActionsHoldAlicesChangesSecretReadAndSession() throws Exception {
        ReportAnswer a = report("privileged-actions", "user=alice");
        assertThat(column(a, "auditID")).contains(auditId("create", "secrets", null),
                auditId("get", "secrets", "report-secret"), auditId("create", "configmaps", null),
                auditId("delete", "configmaps", "report-cm"), auditId("delete", "services", "report-svc"));
        assertThat(column(a, "eventType")).contains("create pods/exec");
        assertThat(column(a, "user")).containsOnly("alice");
        assertThat(a.rows()).anySatisfy(r -> assertThat(r).contains("delete services", "failure", "403"));
        assertThat(a.count()).isEqualTo(a.rows().size());
    }

    @Test
    void heldRequestsShowDanasApprovalBeforeTheDelete() throws Exception {
        ReportAnswer a = report("held-requests");
        assertThat(column(a, "reviewId")).containsExactly(reviewId);
        assertThat(a.rows().getFirst()).containsSubsequence(reviewId, "alice");
        assertThat(column(a, "approvers")).containsExactly("dana");
        assertThat(column(a, "actionAuditID")).containsExactly(auditId("delete", "configmaps", "report-cm"));
        assertThat(column(a, "approvedBeforeAction")).containsExactly("yes");
        assertThat(column(a, "approverNotRequester")).containsExactly("yes");
        assertThat(column(a, "verdict")).containsExactly("ok");
    }

    @Test
    void refusedRequestsNameTheDeniedDeleteAndTheHold() throws Exception {
        ReportAnswer a = report("refused-requests", "user=alice");
        assertThat(a.rows()).anySatisfy(r -> assertThat(r).contains("denied", "alice", "delete",
                auditId("delete", "services", "report-svc")));
        assertThat(a.rows()).anySatisfy(r -> assertThat(r).contains("review created", "alice", reviewId));
    }

    @Test
    void secretReadsNameTheSecretAndNotItsValue() throws Exception {
        ReportAnswer a = report("secret-reads");
        assertThat(column(a, "auditID")).containsExactly(auditId("get", "secrets", "report-secret"));
        assertThat(column(a, "secret")).containsExactly("report-secret");
        assertThat(Files.readString(dir.resolve("secret-reads.json"))).doesNotContain("s3cret")
                .doesNotContain("czNjcmV0");
    }

    @Test
    void copiedFilesListTheFileWithItsDigest() throws Exception {
        ReportAnswer a = report("copied-files");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(copied)));
        assertThat(a.rows()).anySatisfy(r -> assertThat(r).contains("alice", "to-pod", "evidence.txt", sha));
    }

    @Test
    void evidenceReadsShowTheAuditorsAndTheRefusedReader() throws Exception {
        report("secret-reads");
        ReportAnswer a = report("evidence-reads");
        assertThat(a.rows()).anySatisfy(r -> assertThat(r).contains("carol", "report", "reports", "200"));
        assertThat(a.rows()).anySatisfy(r -> assertThat(r).contains("bob", "403"));
    }

    @Test
    void aRecertificationSignOffIsRecordedAndShownInTheCampaign() throws Exception {
        String[] own = cli("carol", "report", "sign-off", "--campaign", "q1", "--principal", "carol", "--resource",
                "sandbox/dev/secrets", "--decision", "keep", "--justification", "mine");
        assertThat(own[0]).isEqualTo("2");
        assertThat(own[2]).contains("403").contains("their own access");
        String[] signed = cli("carol", "report", "sign-off", "--campaign", "q1", "--principal", "alice",
                "--resource", "sandbox/dev/secrets", "--decision", "revoke", "--justification", "no longer on call");
        assertThat(signed[0]).as(signed[2]).isEqualTo("0");
        assertThat(fixture.audit.events()).anySatisfy(e -> {
            assertThat(e.gatehouse().type()).isEqualTo("recertification-sign-off");
            assertThat(e.user().username()).isEqualTo("carol");
            assertThat(e.gatehouse().details()).containsEntry("principal", "alice").containsEntry("decision", "revoke");
        });
        // the answer rests on the latest checkpoint: it shows the sign-off once a checkpoint covers it
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ReportAnswer a = report("recertification", "campaign=q1");
            assertThat(a.rows()).anySatisfy(r -> assertThat(r).containsSubsequence("alice", "sandbox/dev/secrets")
                    .contains("revoke", "no longer on call", "carol"));
        });
    }

    @Test
    void anEditedAnswerFailsTheCheck() throws Exception {
        report("secret-reads");
        Path edited = dir.resolve("edited.json");
        Files.writeString(edited, Files.readString(dir.resolve("secret-reads.json")).replace("\"report-secret\"",
                "\"other-secret\""));
        String[] check = local("report", "check", edited.toString(), "--log-dir", dir.resolve("data/audit").toString());
        assertThat(check[0]).isEqualTo("1");
        assertThat(check[2]).contains("the answer was changed");
    }

    @Test
    void theHtmlAnswerIsPrintableAndChecks() throws Exception {
        Path html = dir.resolve("privileged.html");
        String[] run = cli("carol", "report", "privileged-actions", "--format", "html", "--out", html.toString());
        assertThat(run[0]).as(run[2]).isEqualTo("0");
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").contains("report-secret");
        String[] check = local("report", "check", html.toString(), "--log-dir", dir.resolve("data/audit").toString());
        assertThat(check[0]).as(check[2]).isEqualTo("0");
    }

    /** The pending review whose description names {@code what}, as dana lists it; waits for it. */
    static String pendingReview(String what) throws Exception {
        for (int i = 0; i < 200; i++) {
            String[] list = cli("dana", "reviews", "list", "-o", "json");
            assertThat(list[0]).as(list[2]).isEqualTo("0");
            for (JsonNode item : JSON.readTree(list[1]).path("items")) {
                if (item.path("description").asText().contains(what)) {
                    return item.path("id").asText();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no pending review of " + what);
    }

    /** {@code gatehouse ARGS --server … --token-file <who>.token}: exit code, stdout, stderr. */
    static String[] cli(String who, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", "https://127.0.0.1:" + fixture.gateway.port(), "--certificate-authority",
                dir.resolve("ca.crt").toString(), "--token-file", dir.resolve(who + ".token").toString()));
        return local(all.toArray(String[]::new));
    }

    /** {@code gatehouse ARGS} in this JVM. */
    static String[] local(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int code = command.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }
}
