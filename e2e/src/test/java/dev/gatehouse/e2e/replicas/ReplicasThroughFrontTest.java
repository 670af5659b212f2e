package dev.gatehouse.e2e.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.cli.Main;
import dev.gatehouse.e2e.GatewayTls;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.sandbox.Sandbox;
import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlResult;
import dev.gatehouse.sandbox.recording.ReceivedRequest;
import picocli.CommandLine;

/**
 * Three gateway replicas (processes, each with its own data directory and signing key) on one PostgreSQL, behind
 * a round-robin TCP front, in front of the sandbox cluster; the real kubectl talks to the front. The replicas'
 * poll for decisions is 30 s, so a release within seconds is PostgreSQL's LISTEN/NOTIFY at work.
 */
class ReplicasThroughFrontTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ALICE_TOKEN = "alice-replicas-token-0123456789";
    static final String BOB_TOKEN = "bob-replicas-token-0123456789";
    static final String POLICY = """
            apiVersion: gatehouse.dev/v1
            kind: Policy
            default: allow
            reviewers:
              sre: {groups: [sre], approvals: 1, holdTime: 60s, validity: once}
            rules:
              - name: hold-namespace-delete
                match: {verbs: [delete], resources: [namespaces]}
                decision: review
                reviewers: sre
            """;

    @TempDir
    static Path dir;
    static Sandbox sandbox;
    static ReplicaDatabase database;
    static List<ReplicaProcess> replicas = new ArrayList<>();
    static RoundRobinFront front;
    static Kubectl alice;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start();
        database = new ReplicaDatabase();
        CertificateAuthority.WrittenFiles tls = GatewayTls.create(dir, "replicas-ca");
        Files.copy(tls.ca(), dir.resolve("ca.crt"));
        Files.writeString(dir.resolve("tokens.csv"), ALICE_TOKEN + ",alice,uid-alice,developers\n"
                + BOB_TOKEN + ",bob,uid-bob,sre\n");
        Files.writeString(dir.resolve("alice.token"), ALICE_TOKEN);
        Files.writeString(dir.resolve("bob.token"), BOB_TOKEN);
        Files.writeString(dir.resolve("sandbox-token"), sandbox.token());
        Files.createDirectories(dir.resolve("policy"));
        Files.writeString(dir.resolve("policy/rules.yaml"), POLICY);
        Files.writeString(dir.resolve("logback-replica.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n</pattern></encoder></appender>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        String yaml = """
                listen: {address: 127.0.0.1, port: PORT, certFile: "%s", keyFile: "%s"}
                dataDir: "DATA_DIR"
                authentication: {staticTokenFile: "%s"}
                clusters:
                  - {name: sandbox, server: "%s", caFile: "%s", tokenFile: "%s"}
                policy: {path: "%s"}
                reviews: {holdTime: 60s, pollInterval: 30s}
                store: {kind: postgres, url: "%s", user: postgres, schema: gatehouse}
                """.formatted(tls.certificate(), tls.privateKey(), dir.resolve("tokens.csv"), sandbox.url(),
                sandbox.caFile(), dir.resolve("sandbox-token"), dir.resolve("policy"), database.url());
        for (String name : List.of("replica-a", "replica-b", "replica-c")) {
            replicas.add(new ReplicaProcess(name, dir, yaml));
        }
        for (ReplicaProcess r : replicas) {
            r.start();
        }
        front = new RoundRobinFront(replicas.stream().map(r -> r.port).toList());
        alice = Kubectl.create(new Kubeconfig("https://127.0.0.1:" + front.port() + "/clusters/sandbox",
                Files.readString(tls.ca()), ALICE_TOKEN, null, "dev"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (alice != null) {
            alice.close();
        }
        if (front != null) {
            front.close();
        }
        replicas.forEach(ReplicaProcess::close);
        if (database != null) {
            database.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void aDeleteHeldOnOneReplicaIsReleasedByAnApprovalSentToAnother() throws Exception {
        assertThat(alice.run("create", "namespace", "replicated-delete").succeeded()).isTrue();
        int mark = sandbox.received().size();
        CompletableFuture<KubectlResult> delete = CompletableFuture.supplyAsync(() -> alice.run(Duration.ofSeconds(90),
                null, "delete", "namespace", "replicated-delete"));

        String id = null;
        ReplicaProcess holder = null;
        for (int i = 0; i < 300 && holder == null; i++) {
            for (ReplicaProcess r : replicas) {
                AuditEvent created = r.audit().events().stream().filter(e -> isReview(e, "created")
                        && "replicated-delete".equals(e.objectRef() == null ? null : e.objectRef().name()))
                        .findFirst().orElse(null);
                if (created != null) {
                    holder = r;
                    id = created.gatehouse().details().get("reviewId");
                }
            }
            Thread.sleep(100);
        }
        assertThat(holder).as("one replica holds the delete and recorded its review").isNotNull();
        assertThat(sandbox.received().subList(mark, sandbox.received().size()))
                .as("nothing reaches the cluster while held").noneMatch(r -> r.method().equals("DELETE"));
        ReplicaProcess approver = replicas.get((replicas.indexOf(holder) + 1) % replicas.size());

        String[] approved = cli(approver, "bob", "reviews", "approve", id, "--reason", "replica test");
        java.time.Instant approvalAnswered = java.time.Instant.now();
        assertThat(approved[0]).as(approved[2]).isEqualTo("0");
        KubectlResult result = delete.get(60, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("namespace \"replicated-delete\" deleted");

        List<ReceivedRequest> deletes = sandbox.received().subList(mark, sandbox.received().size()).stream()
                .filter(r -> r.method().equals("DELETE") && r.rawPath().endsWith("/namespaces/replicated-delete"))
                .toList();
        assertThat(deletes).hasSize(1);
        // the approval is settled (and NOTIFY sent) before its answer; the held replica forwards on the notification
        long releaseMillis = java.time.Duration.between(approvalAnswered, deletes.getFirst().time()).toMillis();
        assertThat(releaseMillis).as("released well before the 30 s poll: by NOTIFY").isLessThan(3_000);
        String auditId = deletes.getFirst().header("Audit-ID");
        AuditEvent completed = holder.audit().completed(auditId);
        assertThat(completed.gatehouse().decision()).isEqualTo("allow");
        assertThat(completed.gatehouse().details()).containsEntry("reviewId", id);
        final String reviewId = id;
        assertThat(approver.audit().events()).as("the approval is in the approving replica's own log")
                .anyMatch(e -> isReview(e, "approved") && reviewId.equals(e.gatehouse().details().get("reviewId"))
                        && "bob".equals(e.user().username()));
        assertThat(holder.audit().events()).as("and not in the holder's")
                .noneMatch(e -> isReview(e, "approved") && reviewId.equals(e.gatehouse().details().get("reviewId")));
        System.out.printf("replicas: approval on %s released the delete held on %s; it reached the cluster %d ms after the approval was answered%n", approver.name,
                holder.name, releaseMillis);
    }

    @Test
    void aReplicaKilledUnderLoadLosesNoAnsweredRequest() throws Exception {
        ReplicaProcess victim = replicas.get(1);
        int mark = sandbox.received().size();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int client = t;
            clients.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 8; i++) {
                    String name = "load-" + client + "-" + i;
                    KubectlResult r = alice.run(Duration.ofSeconds(30), null, "create", "configmap", name,
                            "-n", "default", "--from-literal=k=v");
                    if (r.exitCode() == 0) {
                        answered.add(name);
                    }
                }
            }));
        }
        while (answered.size() < 6) {
            Thread.sleep(50);
        }
        victim.kill();
        assertThat(victim.alive()).isFalse();
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        victim.start();
        assertThat(victim.logTail(400)).as("the restarted replica took its signing key back")
                .contains("registered its audit signing key");

        // what reached the cluster (every answered create did) carries the gateway's Audit-ID
        Set<String> forwarded = sandbox.received().subList(mark, sandbox.received().size()).stream()
                .filter(r -> r.method().equals("POST") && r.rawPath().endsWith("/namespaces/default/configmaps"))
                .map(r -> r.header("Audit-ID")).collect(Collectors.toSet());
        Set<String> logged = new java.util.HashSet<>();
        Set<String> inVictim = new java.util.HashSet<>();
        long completedCreates = 0;
        for (ReplicaProcess r : replicas) {
            for (AuditEvent e : r.audit().requestEvents()) {
                if (!forwarded.contains(e.auditID())) {
                    continue;
                }
                logged.add(e.auditID());
                if (r == victim) {
                    inVictim.add(e.auditID());
                }
                if (AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage()) && e.responseStatus() != null
                        && e.responseStatus().code() == 201) {
                    completedCreates++;
                }
            }
        }
        assertThat(answered).as("answered creates").hasSizeGreaterThanOrEqualTo(12);
        assertThat(forwarded).as("every answered create reached the cluster").hasSizeGreaterThanOrEqualTo(answered.size());
        assertThat(logged).as("every forwarded create is in a replica's log, the killed one's read after restart")
                .containsExactlyInAnyOrderElementsOf(forwarded);
        assertThat(completedCreates).as("each answered create's completion is recorded")
                .isGreaterThanOrEqualTo(answered.size());
        assertThat(inVictim).as("the killed replica had served some, and kept their evidence").isNotEmpty();

        // the shared audit index: every forwarded create, fed by the replica that served it (the killed one's
        // feed catching up after its restart), and all three replicas feeding it
        java.util.Map<String, Set<String>> indexed = database.indexedAuditIds();
        for (int i = 0; i < 100 && !indexed.keySet().containsAll(forwarded); i++) {
            Thread.sleep(200);
            indexed = database.indexedAuditIds();
        }
        assertThat(indexed.keySet()).as("the shared index holds every forwarded create").containsAll(forwarded);
        assertThat(indexed.values().stream().flatMap(Set::stream).distinct().count())
                .as("fed by all three replicas").isEqualTo(3);
        System.out.printf("replicas: %d creates answered, %d forwarded, %d of them by the killed replica;"
                + " connections handed %s%n", answered.size(), forwarded.size(), inVictim.size(), front.handed());
    }

    private static boolean isReview(AuditEvent e, String verb) {
        return e.gatehouse() != null && "review".equals(e.gatehouse().type()) && verb.equals(e.verb())
                && e.gatehouse().details() != null;
    }

    /** {@code gatehouse ARGS --server <replica> --token-file <who>.token} in this JVM: exit code, stdout, stderr. */
    static String[] cli(ReplicaProcess on, String who, String... args) {
        return cli(on.port, dir.resolve("ca.crt"), dir, who, args);
    }

    /** As above, against the gateway on {@code port}, tokens in {@code tokens/<who>.token}. */
    static String[] cli(int port, Path ca, Path tokens, String who, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", "https://127.0.0.1:" + port, "--certificate-authority", ca.toString(),
                "--token-file", tokens.resolve(who + ".token").toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int code = command.execute(all.toArray(String[]::new));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }
}
