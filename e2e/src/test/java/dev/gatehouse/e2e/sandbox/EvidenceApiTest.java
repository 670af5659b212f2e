package dev.gatehouse.e2e.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.file.AuditLogReader;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.cli.Main;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.sandbox.Sandbox;
import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlResult;

/**
 * Reading the evidence is evidence: kubectl through the gateway as alice, then the CLI with {@code --server} as
 * carol (an auditor, {@code audit.readers.groups: [auditors]}) queries, verifies, proves, exports and fetches the
 * keys from the live gateway. Each of those calls, and alice's refused attempt, is an evidence-read event in the
 * same log; erin ({@code audit.keyAdmins}) rotates the signing key through it; and the log still verifies offline,
 * across both keys, once the gateway has stopped.
 */
class EvidenceApiTest {
    static final String ALICE_TOKEN = "alice-evidence-token-0123456789";
    static final String CAROL_TOKEN = "carol-evidence-token-0123456789";
    static final String ERIN_TOKEN = "erin-keyadmin-token-0123456789";

    @TempDir
    static Path dir;
    static Sandbox sandbox;
    static Gatehouse gateway;
    static GatehouseConfig config;
    static Path ca;

    @BeforeAll
    static void start() throws IOException {
        sandbox = Sandbox.start();
        CertificateAuthority.WrittenFiles tls = CertificateAuthority.create("e2e-gateway-ca", Duration.ofDays(1))
                .issueServer("gateway", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .written(dir.resolve("tls"), "gateway");
        ca = tls.ca();
        Files.writeString(dir.resolve("tokens.csv"), ALICE_TOKEN + ",alice,uid-alice,developers\n"
                + CAROL_TOKEN + ",carol,uid-carol,auditors\n" + ERIN_TOKEN + ",erin,uid-erin,security-officers\n");
        Files.writeString(dir.resolve("erin-token"), ERIN_TOKEN + "\n");
        Files.writeString(dir.resolve("carol-token"), CAROL_TOKEN + "\n");
        Files.writeString(dir.resolve("alice-token"), ALICE_TOKEN + "\n");
        Files.writeString(dir.resolve("sandbox-token"), sandbox.token());
        config = new GatehouseConfig(
                new GatehouseConfig.ListenConfig("127.0.0.1", 0, tls.certificate(), tls.privateKey()),
                dir.resolve("data"), Duration.ofHours(1), Duration.ofSeconds(30),
                new GatehouseConfig.AuthenticationConfig(dir.resolve("tokens.csv")), null, null,
                new GatehouseConfig.AuditConfig(Duration.ofSeconds(5), null, List.of(),
                        new GatehouseConfig.ReadersConfig(List.of("auditors"), List.of()),
                        new GatehouseConfig.ReadersConfig(List.of("security-officers"), List.of())),
                List.of(new GatehouseConfig.ClusterConfig("sandbox", null, null, sandbox.url(), sandbox.caFile(),
                        dir.resolve("sandbox-token"), null, null, "impersonate")));
        gateway = Gatehouse.start(config);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    record Cli(int exit, String out, String err) {
    }

    /** Runs {@code gatehouse args...} in-process. */
    static Cli gatehouse(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }

    static String[] remote(String tokenFile, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--server", "https://127.0.0.1:" + gateway.port(), "--certificate-authority",
                ca.toString(), "--token-file", dir.resolve(tokenFile).toString()));
        return all.toArray(String[]::new);
    }

    static List<AuditEvent> events() {
        try (Stream<AuditEvent> events = AuditLogReader.events(Gatehouse.auditDirectory(config))) {
            return events.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theCliReadsTheLiveGatewayAndEveryReadIsRecordedWithTheReader() throws IOException {
        try (Kubectl alice = Kubectl.create(new Kubeconfig("https://127.0.0.1:" + gateway.port()
                + "/clusters/sandbox", Files.readString(ca), ALICE_TOKEN, null, "dev"))) {
            KubectlResult created = alice.run("create", "configmap", "evidence-cm", "-n", "dev", "--from-literal=a=b");
            assertThat(created.exitCode()).as(created.toString()).isZero();
            KubectlResult got = alice.run("get", "configmap", "evidence-cm", "-n", "dev");
            assertThat(got.exitCode()).as(got.toString()).isZero();
        }
        List<AuditEvent> aliceEvents = events().stream().filter(e -> e.user() != null
                && "alice".equals(e.user().username()) && e.objectRef() != null
                && "configmaps".equals(e.objectRef().resource())).toList();
        assertThat(aliceEvents).extracting(AuditEvent::verb).contains("create", "get");
        long readsBefore = evidenceReads().size();

        // 1. query: the same events, from the gateway
        Cli query = gatehouse(remote("carol-token", "audit", "query", "--user", "alice", "--resource",
                "configmaps", "-o", "jsonl"));
        assertThat(query.exit()).as(query.err()).isZero();
        List<String> ids = query.out().lines().map(l -> AuditEventJson.parse(l).auditID()).toList();
        assertThat(ids).containsExactlyElementsOf(aliceEvents.stream().map(AuditEvent::auditID).toList());

        // 2. verify the live log (its newest events, such as the query's record, are signed within moments)
        Cli verify = gatehouse(remote("carol-token", "audit", "verify", "--allow-unsigned-tail"));
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("event matches the signed checkpoints");

        // 3. prove the create, once a checkpoint covers it; check the proof with the key fetched from the gateway
        AuditEvent create = aliceEvents.stream().filter(e -> "create".equals(e.verb())
                && AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage())).findFirst().orElseThrow();
        ChainedFileAuditLog log = (ChainedFileAuditLog) gateway.auditLog();
        await().atMost(Duration.ofSeconds(30)).until(() -> log.lastCheckpoint() != null
                && log.lastCheckpoint().treeSize() > create.gatehouse().seq());
        Path proof = dir.resolve("proof.json");
        Cli prove = gatehouse(remote("carol-token", "audit", "prove", create.auditID(), "-o", proof.toString()));
        assertThat(prove.exit()).as(prove.err()).isZero();
        assertThat(prove.out()).contains("wrote the proof of event " + create.auditID());
        Cli keys = gatehouse(remote("carol-token", "audit", "keys"));
        assertThat(keys.exit()).as(keys.err()).isZero();
        Path key = dir.resolve("gateway-audit.pub");
        Files.writeString(key, keys.out());
        Cli check = gatehouse("audit", "check-proof", proof.toString(), "--trusted-keys", key.toString());
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).startsWith("OK: event " + create.auditID());

        // 4. export the first positions
        Path export = dir.resolve("export.jsonl");
        Cli exported = gatehouse(remote("carol-token", "audit", "export", "--from-position", "0",
                "--to-position", "2", "-o", export.toString()));
        assertThat(exported.exit()).as(exported.err()).isZero();
        assertThat(Files.readAllLines(export)).hasSize(3);

        // 5. alice is not a reader: one line, non-zero exit, and her attempt is recorded too
        Cli refused = gatehouse(remote("alice-token", "audit", "query", "--user", "carol"));
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err().strip()).doesNotContain("\n").contains("403").contains("audit.readers")
                .doesNotContain("Exception");

        List<AuditEvent> reads = evidenceReads().subList((int) readsBefore, evidenceReads().size());
        assertThat(reads).extracting(AuditEvent::verb)
                .containsExactly("query", "verify", "prove", "keys", "export", "query");
        assertThat(reads).extracting(e -> e.user().username())
                .containsExactly("carol", "carol", "carol", "carol", "carol", "alice");
        assertThat(reads).extracting(e -> e.responseStatus().code()).containsExactly(200, 200, 200, 200, 200, 403);
        assertThat(reads).allSatisfy(e -> {
            assertThat(e.gatehouse().authn().method()).isEqualTo("static-token");
            assertThat(e.gatehouse().authn().issuer()).isNotBlank();
            assertThat(e.toString()).doesNotContain(CAROL_TOKEN).doesNotContain(ALICE_TOKEN);
        });
        assertThat(reads.get(0).gatehouse().details()).containsEntry("user", "alice")
                .containsEntry("resource", "configmaps").containsEntry("results", Integer.toString(ids.size()));
        assertThat(reads.get(2).gatehouse().details()).containsEntry("auditID", create.auditID());
        assertThat(reads.get(4).gatehouse().details()).containsEntry("fromPosition", "0")
                .containsEntry("toPosition", "2").containsEntry("results", "3");

        // 6. erin (audit.keyAdmins) rotates the checkpoint signing key through the gateway; carol may not
        Cli notAdmin = gatehouse(remote("carol-token", "audit", "rotate-key"));
        assertThat(notAdmin.exit()).isEqualTo(2);
        assertThat(notAdmin.err().strip()).doesNotContain("\n").contains("403").contains("audit.keyAdmins");
        Cli rotated = gatehouse(remote("erin-token", "audit", "rotate-key"));
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        assertThat(rotated.out()).contains("rotated the checkpoint signing key").contains("BEGIN PUBLIC KEY");
        List<AuditEvent> rotations = events().stream().filter(e -> e.gatehouse() != null
                && "key-rotation".equals(e.gatehouse().type())).toList();
        assertThat(rotations).extracting(e -> e.user().username()).containsExactly("carol", "erin");
        assertThat(rotations).extracting(e -> e.responseStatus().code()).containsExactly(403, 200);
        String newKey = rotations.get(1).gatehouse().details().get("keyId");
        assertThat(rotated.out()).contains("-> " + newKey);
        await().atMost(Duration.ofSeconds(30)).until(() -> log.lastCheckpoint() != null
                && newKey.equals(log.lastCheckpoint().keyId()));

        // 7. after the gateway stops, the whole log (the reads and the rotation included) verifies offline
        gateway.close();
        gateway = null;
        Cli offline = gatehouse("audit", "verify", "--log-dir", Gatehouse.auditDirectory(config).toString());
        assertThat(offline.exit()).as(offline.out() + offline.err()).isZero();
        assertThat(offline.out()).contains("OK: every event matches the signed checkpoints");
        long total = events().size();
        assertThat(offline.out()).contains(total + " events");
        assertThat(events()).extracting(AuditEvent::auditID).containsAll(reads.stream().map(AuditEvent::auditID)
                .toList());
    }

    private static List<AuditEvent> evidenceReads() {
        return events().stream().filter(e -> e.gatehouse() != null
                && "evidence-read".equals(e.gatehouse().type())).toList();
    }
}
