package dev.gatehouse.e2e.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.mask.Fingerprints;
import dev.gatehouse.mask.MaskKeys;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlResult;

/**
 * Secret values never reach the client through the gateway, in the representations kubectl asks for: one object as
 * YAML and JSON, a list, the server-side table, a watch, {@code describe} (a typed client that base64-decodes
 * {@code data}) — and never reach the audit log, where writes ({@code create secret --from-literal}, {@code apply},
 * {@code patch}) are recorded with their values masked.
 */
class MaskingThroughGatewayTest {
    private static final String SEEDED = "dev-Hq7w2Lx9Rk";

    @TempDir
    static Path dir;

    private static GatewayFixture fixture;
    private static Kubectl alice;

    @BeforeAll
    static void start() {
        fixture = new GatewayFixture(dir);
        alice = fixture.kubectl(GatewayFixture.ALICE_TOKEN);
    }

    @AfterAll
    static void stop() {
        alice.close();
        fixture.close();
    }

    private static void assertNoSecret(String output, String... values) {
        for (String value : values) {
            assertThat(output).doesNotContain(value)
                    .doesNotContain(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void getSecretAsYamlAndJsonShowsMarkersNotValues() {
        for (String format : new String[] {"yaml", "json"}) {
            KubectlResult result = alice.run("get", "secret", "db-credentials", "-o", format);
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertNoSecret(result.stdout(), SEEDED);
            assertThat(result.stdout()).contains("password");
        }
        KubectlResult password = alice.run("get", "secret", "db-credentials", "-o", "jsonpath={.data.password}");
        assertThat(new String(Base64.getDecoder().decode(password.stdout().trim()), StandardCharsets.UTF_8))
                .startsWith("gatehouse:masked:hmac-sha256:");
    }

    @Test
    void listsTablesAndDescribeWorkAndLeakNothing() {
        KubectlResult list = alice.run("get", "secrets", "-o", "json");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertNoSecret(list.stdout(), SEEDED);
        KubectlResult table = alice.run("get", "secrets");
        assertThat(table.exitCode()).as(table.stderr()).isZero();
        assertThat(table.stdout()).contains("db-credentials");
        KubectlResult describe = alice.run("describe", "secret", "db-credentials");
        assertThat(describe.exitCode()).as("a typed client decodes the masked data: " + describe.stderr()).isZero();
        assertNoSecret(describe.stdout(), SEEDED);
        KubectlResult all = alice.run("get", "secrets", "-A", "-o", "yaml");
        assertThat(all.exitCode()).as(all.stderr()).isZero();
        assertNoSecret(all.stdout(), SEEDED);
    }

    @Test
    void maskedValuesAreNeverWrittenBack() throws Exception {
        KubectlResult yaml = alice.run("get", "secret", "db-credentials", "-o", "yaml");
        Path file = dir.resolve("db-credentials.yaml");
        java.nio.file.Files.writeString(file, yaml.stdout());
        int mark = fixture.sandbox.received().size();
        KubectlResult replace = alice.run("replace", "-f", file.toString());
        assertThat(replace.exitCode()).isNotZero();
        assertThat(replace.stderr()).contains("masked by Gatehouse");
        assertThat(fixture.receivedSince(mark)).noneMatch(r -> r.method().equals("PUT"));
        KubectlResult labelled = alice.run("label", "secret", "db-credentials", "reviewed=yes");
        assertThat(labelled.exitCode()).as("a change that leaves the values alone: " + labelled.stderr()).isZero();
    }

    @Test
    void aWatchShowsNewSecretsMaskedAsTheyCome() throws Exception {
        CompletableFuture<KubectlResult> watch = CompletableFuture.supplyAsync(() -> alice.run(Duration.ofSeconds(30),
                null, "get", "secrets", "-w", "-o", "json", "--request-timeout=6s"));
        Thread.sleep(1500);
        KubectlResult created = alice.run("create", "secret", "generic", "watched", "--from-literal=token=w4tch-Th1s-v4lue");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        KubectlResult watched = watch.get(30, TimeUnit.SECONDS);
        assertThat(watched.stdout()).contains("\"name\": \"watched\"");
        assertNoSecret(watched.stdout(), "w4tch-Th1s-v4lue", SEEDED);
        assertNoSecret(fixture.audit.raw(), "w4tch-Th1s-v4lue", SEEDED);
    }

    @Test
    void writesAreRecordedWithTheirValuesMasked() throws Exception {
        String literal = "l1teral-Wr1te-v4lue";
        String applied = "app1ied-Wr1te-v4lue";
        String patched = "p4tched-Wr1te-v4lue";
        int mark = fixture.audit.requestEvents().size();
        KubectlResult created = alice.run("create", "secret", "generic", "written", "--from-literal=token=" + literal);
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        Path manifest = dir.resolve("applied.yaml");
        java.nio.file.Files.writeString(manifest, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: applied\n"
                + "stringData:\n  password: \"" + applied + "\"\n");
        KubectlResult apply = alice.run("apply", "-f", manifest.toString());
        assertThat(apply.exitCode()).as(apply.stderr()).isZero();
        KubectlResult patch = alice.run("patch", "secret", "written", "--type=merge",
                "-p", "{\"stringData\":{\"more\":\"" + patched + "\"}}");
        assertThat(patch.exitCode()).as(patch.stderr()).isZero();

        Fingerprints fingerprints = Fingerprints.with(MaskKeys.existing(dir.resolve("data")).current());
        java.util.List<AuditEvent> writes = fixture.audit.requestEvents().stream().skip(mark)
                .filter(e -> AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage()) && e.requestObject() != null)
                .toList();
        assertThat(writes).extracting(AuditEvent::verb).containsExactly("create", "create", "patch");
        assertThat(writes.get(0).requestObject().path("data").path("token").asText())
                .isEqualTo(fingerprints.dataMarker(literal.getBytes(StandardCharsets.UTF_8)));
        assertThat(writes.get(1).requestObject().path("stringData").path("password").asText())
                .isEqualTo(fingerprints.marker(applied.getBytes(StandardCharsets.UTF_8)));
        assertThat(writes.get(1).requestObject().path("metadata").path("annotations")
                .path("kubectl.kubernetes.io/last-applied-configuration").asText())
                .contains(fingerprints.marker(applied.getBytes(StandardCharsets.UTF_8)));
        assertThat(writes.get(2).requestObject().path("stringData").path("more").asText())
                .isEqualTo(fingerprints.marker(patched.getBytes(StandardCharsets.UTF_8)));
        assertNoSecret(fixture.audit.raw(), literal, applied, patched, SEEDED);
    }

    @Test
    void largeWritesAreRecordedWholeUpToTheBoundAndBeyondItOnlyAsAMarker() throws Exception {
        Path small = dir.resolve("small.txt");
        java.nio.file.Files.writeString(small, "sm4ll-" + "q".repeat(150 * 1024));
        Path big = dir.resolve("big.txt");
        String bigValue = "b1g-V4lue-" + "z".repeat(300 * 1024);
        java.nio.file.Files.writeString(big, bigValue);
        int mark = fixture.audit.requestEvents().size();
        KubectlResult config = alice.run("create", "configmap", "large-config", "--from-file=blob=" + small);
        assertThat(config.exitCode()).as(config.stderr()).isZero();
        KubectlResult secret = alice.run("create", "secret", "generic", "large-secret", "--from-file=blob=" + big);
        assertThat(secret.exitCode()).as(secret.stderr()).isZero();

        java.util.List<AuditEvent> writes = fixture.audit.requestEvents().stream().skip(mark)
                .filter(e -> AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage()) && e.requestObject() != null)
                .toList();
        assertThat(writes).hasSize(2);
        assertThat(writes.get(0).requestObject().path("data").path("blob").asText())
                .isEqualTo(java.nio.file.Files.readString(small));
        com.fasterxml.jackson.databind.JsonNode about = writes.get(1).requestObject()
                .path(dev.gatehouse.mask.RequestBodies.UNRECORDED);
        assertThat(about.path("reason").asText()).startsWith("longer than");
        assertThat(about.path("bytes").asLong()).isGreaterThan(300 * 1024);
        assertThat(about.path("fingerprint").asText()).startsWith("gatehouse:masked:hmac-sha256:");
        assertThat(about.has("sha256")).isFalse();
        assertNoSecret(fixture.audit.raw(), "b1g-V4lue-" + "z".repeat(40));
    }
}
