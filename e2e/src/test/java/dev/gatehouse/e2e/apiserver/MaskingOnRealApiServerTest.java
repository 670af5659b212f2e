package dev.gatehouse.e2e.apiserver;

import static dev.gatehouse.e2e.apiserver.RealApiServer.ALICE;
import static dev.gatehouse.e2e.apiserver.RealApiServer.TEAM_A;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.mask.Fingerprints;
import dev.gatehouse.mask.MaskKeys;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlProcess;
import dev.gatehouse.sandbox.kubectl.KubectlResult;

/**
 * Secret values through Gatehouse in front of a real kube-apiserver 1.20, driven by the real kubectl 1.32: reads
 * ({@code get -o yaml}, {@code get -w}) show markers, never values; writes ({@code create secret generic
 * --from-literal}, {@code apply -f} client- and server-side, merge and JSON {@code patch}) reach the cluster unchanged
 * and are recorded with their values masked. Each case checks kubectl's output, the cluster's object (read with the
 * admin token, around the gateway) and the gateway's audit log: the write's {@code requestObject} holds the marker a
 * response shows for the same value, and no file of the log holds a value, in clear or base64.
 */
@Timeout(180)
class MaskingOnRealApiServerTest {
    private static final String PLAIN_PREFIX = Fingerprints.PREFIX;

    @TempDir
    static Path tmp;

    static RealApiServer apiServer;
    static GatewayInFront gateway;
    static Kubectl alice;

    @RegisterExtension
    static final RealApiServerLifecycle LIFECYCLE = new RealApiServerLifecycle(() -> gateway, () -> apiServer);

    @BeforeAll
    static void start() throws IOException {
        apiServer = LIFECYCLE.start(RealApiServer::start);
        if (apiServer == null) {
            return;
        }
        apiServer.setUpTeams();
        grantSecretEditor(ALICE, TEAM_A);
        gateway = GatewayInFront.start(apiServer, tmp.resolve("gateway"),
                List.of(new GatewayInFront.User(ALICE, "uid-alice", List.of("team-a-devs"))));
        alice = gateway.kubectl(ALICE);
    }

    @Test
    void createSecretFromLiteralIsRecordedMasked() {
        String value = unique("lit");
        int mark = gateway.mark();
        KubectlResult r = alice.run("create", "secret", "generic", "from-literal", "-n", TEAM_A,
                "--from-literal=password=" + value);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("secret/from-literal created");
        assertThat(clusterData("from-literal", "password")).as("the cluster got the value").isEqualTo(value);
        AuditEvent create = completed(mark, on("create"));
        assertThat(create.level()).isEqualTo("Request");
        assertThat(create.requestObject().path("data").path("password").asText()).isEqualTo(dataMarker(value));
        assertNowhereInTheLog(value);
    }

    @Test
    void getSecretAsYamlShowsMarkersOnly() {
        String value = unique("yaml");
        apiServer.create("/api/v1/namespaces/" + TEAM_A + "/secrets", secretJson("read-me", value));
        int mark = gateway.mark();
        KubectlResult r = alice.run("get", "secret", "read-me", "-n", TEAM_A, "-o", "yaml");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("kind: Secret", "name: read-me", "password: " + dataMarker(value))
                .doesNotContain(value).doesNotContain(base64(value));
        completed(mark, e -> "get".equals(e.verb()) && e.requestURI().contains("/secrets/read-me"));
        assertNowhereInTheLog(value);
    }

    @Test
    void watchOfSecretsShowsEachEventMaskedAsItArrives() {
        String value = unique("watch");
        String seeded = unique("seed");
        // a Secret that exists before the watch, so kubectl prints its first event as soon as the watch is open
        apiServer.create("/api/v1/namespaces/" + TEAM_A + "/secrets", secretJson("watch-seed", seeded));
        try (KubectlProcess watch = alice.start("get", "secrets", "-n", TEAM_A, "-w", "--output-watch-events",
                "-o", "json")) {
            assertThat(watch.awaitLine(line -> line.contains(dataMarker(seeded)), Duration.ofSeconds(30)))
                    .as(watch.toString()).isPresent();
            apiServer.create("/api/v1/namespaces/" + TEAM_A + "/secrets", secretJson("watched", value));
            assertThat(watch.awaitLine(line -> line.contains(dataMarker(value)), Duration.ofSeconds(30)))
                    .as("the new Secret's event arrives, masked: %s", watch).isPresent();
            KubectlResult stopped = watch.stop();
            assertThat(stopped.stdout()).contains("\"name\":\"watched\"").doesNotContain(value)
                    .doesNotContain(base64(value)).doesNotContain(seeded).doesNotContain(base64(seeded));
        }
        assertNowhereInTheLog(value);
        assertNowhereInTheLog(seeded);
    }

    @Test
    void applyOfASecretManifestIsRecordedMaskedIncludingLastApplied() throws IOException {
        String first = unique("apply1");
        String second = unique("apply2");
        Path manifest = tmp.resolve("secret.yaml");
        Files.writeString(manifest, manifest("applied", first));
        int mark = gateway.mark();
        KubectlResult created = alice.run("apply", "-f", manifest.toString());
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.stdout()).contains("secret/applied created");

        Files.writeString(manifest, manifest("applied", second));
        KubectlResult patched = alice.run("apply", "-f", manifest.toString());
        assertThat(patched.exitCode()).as(patched.toString()).isZero();
        assertThat(patched.stdout()).contains("secret/applied configured");

        assertThat(clusterData("applied", "token")).isEqualTo(second);
        AuditEvent create = completed(mark, on("create"));
        assertThat(create.requestObject().path("stringData").path("token").asText()).isEqualTo(marker(first));
        String lastApplied = create.requestObject().path("metadata").path("annotations")
                .path("kubectl.kubernetes.io/last-applied-configuration").asText();
        assertThat(lastApplied).contains(marker(first)).doesNotContain(first);
        AuditEvent patch = completed(mark, on("patch"));
        assertThat(patch.requestObject().toString()).contains(marker(second));
        assertNowhereInTheLog(first);
        assertNowhereInTheLog(second);
    }

    @Test
    void serverSideApplyIsRecordedMasked() throws IOException {
        String value = unique("ssa");
        Path manifest = tmp.resolve("ssa.yaml");
        Files.writeString(manifest, manifest("server-side", value));
        int mark = gateway.mark();
        KubectlResult r = alice.run("apply", "--server-side", "-f", manifest.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("secret/server-side serverside-applied");
        assertThat(clusterData("server-side", "token")).isEqualTo(value);
        AuditEvent apply = completed(mark, on("patch"));
        assertThat(apply.requestObject().path("stringData").path("token").asText()).isEqualTo(marker(value));
        assertNowhereInTheLog(value);
    }

    @Test
    void patchesOfASecretAreRecordedMasked() {
        String merged = unique("merge");
        String jsonPatched = unique("jsonpatch");
        apiServer.create("/api/v1/namespaces/" + TEAM_A + "/secrets", secretJson("patched", unique("old")));
        int mark = gateway.mark();
        KubectlResult merge = alice.run("patch", "secret", "patched", "-n", TEAM_A, "--type=merge",
                "-p", "{\"stringData\":{\"extra\":\"" + merged + "\"}}");
        assertThat(merge.exitCode()).as(merge.toString()).isZero();
        KubectlResult json = alice.run("patch", "secret", "patched", "-n", TEAM_A, "--type=json",
                "-p", "[{\"op\":\"add\",\"path\":\"/data/more\",\"value\":\"" + base64(jsonPatched) + "\"}]");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        // kubectl prints the patched object's name, never its values (the response is masked too)
        assertThat(merge.stdout() + json.stdout()).contains("secret/patched patched").doesNotContain(merged)
                .doesNotContain(base64(jsonPatched));

        assertThat(clusterData("patched", "extra")).isEqualTo(merged);
        assertThat(clusterData("patched", "more")).isEqualTo(jsonPatched);
        List<AuditEvent> patches = gateway.requestEventsSince(mark).stream()
                .filter(e -> AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage()) && "patch".equals(e.verb()))
                .toList();
        assertThat(patches).hasSize(2);
        assertThat(patches.get(0).requestObject().path("stringData").path("extra").asText()).isEqualTo(marker(merged));
        assertThat(patches.get(1).requestObject().get(0).path("value").asText()).isEqualTo(dataMarker(jsonPatched));
        assertNowhereInTheLog(merged);
        assertNowhereInTheLog(jsonPatched);
    }

    // ------------------------------------------------------------------------------------------------

    private static void assertNowhereInTheLog(String value) {
        String raw = gateway.audit().raw();
        assertThat(raw).as("the audit log holds markers").contains(PLAIN_PREFIX);
        assertThat(raw).as("no value in the audit log").doesNotContain(value).doesNotContain(base64(value))
                .doesNotContain(base64(value).replace("=", ""));
    }

    private static AuditEvent completed(int mark, Predicate<AuditEvent> which) {
        return gateway.awaitRequestEvent(mark, Duration.ofSeconds(10),
                which.and(e -> AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage())));
    }

    private static Predicate<AuditEvent> on(String verb) {
        return e -> verb.equals(e.verb()) && e.objectRef() != null && "secrets".equals(e.objectRef().resource());
    }

    /** A value of the cluster's object, read with the admin token around the gateway. */
    private static String clusterData(String name, String key) {
        JsonNode secret = apiServer.get("/api/v1/namespaces/" + TEAM_A + "/secrets/" + name, apiServer.adminToken())
                .json();
        return new String(Base64.getDecoder().decode(secret.path("data").path(key).asText()), StandardCharsets.UTF_8);
    }

    private static String dataMarker(String value) {
        return Fingerprints.with(keys().current()).dataMarker(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String marker(String value) {
        return Fingerprints.with(keys().current()).marker(value.getBytes(StandardCharsets.UTF_8));
    }

    private static MaskKeys keys() {
        return MaskKeys.existing(tmp.resolve("gateway").resolve("data"));
    }

    private static String secretJson(String name, String value) {
        return """
                {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "%s", "namespace": "%s"},
                 "data": {"password": "%s"}}
                """.formatted(name, TEAM_A, base64(value));
    }

    private static String manifest(String name, String value) {
        return """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: %s
                  namespace: %s
                stringData:
                  token: "%s"
                """.formatted(name, TEAM_A, value);
    }

    private static String unique(String what) {
        return what + "-V4lue-" + Long.toHexString(System.nanoTime());
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static void grantSecretEditor(String user, String namespace) {
        String name = "secret-editor-" + user;
        apiServer.create("/apis/rbac.authorization.k8s.io/v1/namespaces/" + namespace + "/roles", """
                {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                 "metadata": {"name": "%s", "namespace": "%s"},
                 "rules": [{"apiGroups": [""], "resources": ["secrets"],
                            "verbs": ["get", "list", "watch", "create", "update", "patch", "delete"]}]}
                """.formatted(name, namespace));
        apiServer.create("/apis/rbac.authorization.k8s.io/v1/namespaces/" + namespace + "/rolebindings", """
                {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                 "metadata": {"name": "%s", "namespace": "%s"},
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "%s"},
                 "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "%s"}]}
                """.formatted(name, namespace, name, user));
    }
}
