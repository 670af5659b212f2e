package dev.gatehouse.e2e.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.cli.Main;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.sandbox.SandboxOptions;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlResult;
import picocli.CommandLine;

/**
 * The configurable field rules, the detectors in JSON and the clear profile, through the gateway with the real
 * kubectl: pod env values, a labelled ConfigMap (and an unlabelled one left alone), an AWS key in an ordinary
 * ConfigMap value, and a Secret shown in clear to alice only once bob approved her grant — while the audit log keeps
 * no value and names the grant. (The sandbox serves no CRDs; custom resources are covered by FieldRuleMaskingTest.)
 */
class FieldMaskingThroughGatewayTest {
    private static final String SEEDED = "dev-Hq7w2Lx9Rk";
    private static final String ENV_VALUE = "pg-Pa55-e2e-v4lue";
    private static final String CM_VALUE = "cm-Labelled-e2e-v4lue";
    private static final String AWS_ID = "AKIAZ7QXJ4N2KD5WLM3P";
    private static final String POLICY = """
            apiVersion: gatehouse.dev/v1
            kind: Policy
            default: allow
            rules:
              - name: clear-reads-with-a-grant
                match: {verbs: [get, list, watch], resources: [secrets, configmaps, pods]}
                decision: allow
                mask: clear
            """;

    @TempDir
    static Path dir;

    private static GatewayFixture fixture;
    private static Kubectl alice;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(dir.resolve("policy"));
        Files.writeString(dir.resolve("policy/rules.yaml"), POLICY);
        fixture = new GatewayFixture(dir, SandboxOptions.defaults(), null, null,
                new GatehouseConfig.PolicyConfig(dir.resolve("policy"), Duration.ofSeconds(5)),
                new GatehouseConfig.ReviewsConfig(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofMillis(200),
                        new GatehouseConfig.GrantsConfig(new GatehouseConfig.ReadersConfig(List.of("sre"), List.of()),
                                1, true, Duration.ofHours(8)), List.of()), "");
        alice = fixture.kubectl(GatewayFixture.ALICE_TOKEN);
        Files.writeString(dir.resolve("ca.crt"), fixture.gatewayCaPem);
        Files.writeString(dir.resolve("alice.token"), GatewayFixture.ALICE_TOKEN);
        Files.writeString(dir.resolve("bob.token"), GatewayFixture.BOB_TOKEN);
    }

    @AfterAll
    static void stop() {
        alice.close();
        fixture.close();
    }

    private static KubectlResult ok(String... args) {
        KubectlResult result = alice.run(args);
        assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.stderr()).isZero();
        return result;
    }

    private static KubectlResult apply(String name, String manifest) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, manifest);
        return ok("apply", "-f", file.toString());
    }

    @Test
    void podEnvValuesAreMaskedInPodsAndDeployments() throws Exception {
        apply("pod", """
                apiVersion: v1
                kind: Pod
                metadata: {name: env-pod}
                spec:
                  containers:
                    - name: app
                      image: nginx:1.27
                      env:
                        - {name: DB_PASSWORD, value: %s}
                        - {name: MODE, value: verbose}
                """.formatted(ENV_VALUE));
        String yaml = ok("get", "pod", "env-pod", "-o", "yaml").stdout();
        assertThat(yaml).doesNotContain(ENV_VALUE).contains("DB_PASSWORD").contains("gatehouse:masked:hmac-sha256:")
                .contains("image: nginx:1.27");
        assertThat(ok("get", "pods", "-o", "json").stdout()).doesNotContain(ENV_VALUE);
        assertThat(ok("get", "pods").stdout()).contains("env-pod");
        assertThat(fixture.audit.raw()).doesNotContain(ENV_VALUE);
    }

    @Test
    void aLabelledConfigMapIsMaskedAndAnUnlabelledOneIsNot() {
        ok("create", "configmap", "masked-cm", "--from-literal=password=" + CM_VALUE);
        ok("label", "configmap", "masked-cm", "gatehouse.dev/mask=true");
        ok("create", "configmap", "plain-cm", "--from-literal=mode=" + CM_VALUE + "-plain");

        String masked = ok("get", "configmap", "masked-cm", "-o", "json").stdout();
        assertThat(masked).doesNotContain(CM_VALUE).contains("\"password\": \"gatehouse:masked:hmac-sha256:");
        String plain = ok("get", "configmap", "plain-cm", "-o", "jsonpath={.data.mode}").stdout();
        assertThat(plain).isEqualTo(CM_VALUE + "-plain");
        assertThat(ok("get", "configmaps", "-o", "yaml").stdout()).doesNotContain(CM_VALUE + "\n")
                .contains(CM_VALUE + "-plain");
    }

    @Test
    void detectorsMaskAKeyInAnOrdinaryConfigMapValue() {
        ok("create", "configmap", "aws-cm", "--from-literal=credentials=aws_access_key_id = " + AWS_ID,
                "--from-literal=region=eu-west-1");
        String out = ok("get", "configmap", "aws-cm", "-o", "yaml").stdout();
        assertThat(out).doesNotContain(AWS_ID).contains("aws_access_key_id = gatehouse:masked:hmac-sha256:")
                .contains("region: eu-west-1");
    }

    @Test
    void aSecretIsClearOnlyForTheHolderOfAnApprovedGrantAndTheAuditStaysMasked() {
        String before = ok("get", "secret", "db-credentials", "-o", "jsonpath={.data.password}").stdout().trim();
        assertThat(decode(before)).as("the clear profile without a grant").startsWith("gatehouse:masked:");

        String[] asked = cli("alice", "request", "--cluster", "sandbox", "--namespace", "dev", "--verbs", "get",
                "--resources", "secrets", "--for", "1h", "--reason", "incident 42: check the DB password");
        assertThat(asked[0]).as(asked[2]).isEqualTo("0");
        String grant = asked[1].replaceAll("(?s).*(g-[a-z2-7]{26}).*", "$1");
        String pending = ok("get", "secret", "db-credentials", "-o", "jsonpath={.data.password}").stdout().trim();
        assertThat(decode(pending)).as("a grant asked for, not approved").startsWith("gatehouse:masked:");
        String[] approved = cli("bob", "grants", "approve", grant, "--reason", "on call");
        assertThat(approved[0]).as(approved[2]).isEqualTo("0");

        int mark = fixture.sandbox.received().size();
        String clear = ok("get", "secret", "db-credentials", "-o", "jsonpath={.data.password}").stdout().trim();
        assertThat(decode(clear)).isEqualTo(SEEDED);
        String auditId = fixture.receivedSince(mark).get(0).header("Audit-ID");
        assertThat(fixture.audit.completed(auditId).gatehouse().details()).containsEntry("maskProfile", "clear")
                .containsEntry("maskGrantId", grant);
        assertThat(fixture.audit.raw()).doesNotContain(SEEDED)
                .doesNotContain(Base64.getEncoder().encodeToString(SEEDED.getBytes(StandardCharsets.UTF_8)));

        String list = ok("get", "secrets", "-o", "json").stdout();
        assertThat(list).as("the grant covers get, not list").doesNotContain(
                Base64.getEncoder().encodeToString(SEEDED.getBytes(StandardCharsets.UTF_8)));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static String[] cli(String who, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", "https://127.0.0.1:" + fixture.gateway.port(), "--certificate-authority",
                dir.resolve("ca.crt").toString(), "--token-file", dir.resolve(who + ".token").toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int code = command.execute(all.toArray(String[]::new));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }
}
