package dev.gatehouse.e2e.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlResult;

/**
 * The deploy manifests ({@code deploy/kustomize}): rendered by kubectl's built-in kustomize, checked for what
 * they promise (3 replicas, probes, PDB, RBAC limited to impersonation and RBAC reads), accepted by a real
 * kube-apiserver with {@code kubectl apply --dry-run=server}, and the RBAC, applied for real, gives the gateway's
 * ServiceAccount exactly those rights ({@code kubectl auth can-i}).
 */
@Timeout(value = 240)
class DeployManifestsOnRealApiServerTest {
    private static final Path DEPLOY = Path.of("..", "deploy", "kustomize").toAbsolutePath().normalize();
    private static final String SA = "system:serviceaccount:gatehouse:gatehouse";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    static RealApiServer server;

    @RegisterExtension
    static final RealApiServerLifecycle LIFECYCLE = new RealApiServerLifecycle(() -> null, () -> server);

    @BeforeAll
    static void startServer() {
        server = LIFECYCLE.start(RealApiServer::start);
        if (server != null) {
            server.createNamespace("gatehouse");
        }
    }

    @TempDir
    Path tmp;

    private final List<Kubectl> kubectls = new ArrayList<>();

    @AfterEach
    void close() {
        kubectls.forEach(Kubectl::close);
    }

    private Kubectl admin() {
        Kubectl k = Kubectl.create(server.kubeconfig(server.adminToken(), null, Map.of()),
                RealApiServer.kubectlOptions(TIMEOUT));
        kubectls.add(k);
        return k;
    }

    private List<JsonNode> render(String dir) throws Exception {
        KubectlResult r = admin().run("kustomize", DEPLOY.resolve(dir).toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(r.stdout())) {
            var it = new ObjectMapper().readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                docs.add(it.next());
            }
        }
        return docs;
    }

    private static JsonNode one(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())
                        && d.path("metadata").path("name").asText().startsWith(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    @Test
    void theBaseRendersThreeReplicasWithProbesAPdbAndOnlyImpersonationAndRbacReads() throws Exception {
        List<JsonNode> docs = render("base");
        JsonNode deployment = one(docs, "Deployment", "gatehouse");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/livez");
        assertThat(deployment.at("/spec/template/spec/serviceAccountName").asText()).isEqualTo("gatehouse");
        assertThat(one(docs, "PodDisruptionBudget", "gatehouse").at("/spec/minAvailable").asInt()).isEqualTo(2);
        assertThat(one(docs, "Service", "gatehouse").at("/spec/ports/0/port").asInt()).isEqualTo(443);
        List<String> verbs = new ArrayList<>();
        docs.stream().filter(d -> d.path("kind").asText().endsWith("Role"))
                .forEach(role -> role.path("rules").forEach(rule -> rule.path("verbs").forEach(v -> verbs.add(v.asText()))));
        assertThat(verbs).containsOnly("impersonate", "get", "list", "watch");
        assertThat(docs).noneMatch(d -> d.toString().contains("\"secrets\""));
    }

    @Test
    void theBaseAndTheOverlayPassServerSideDryRun() throws Exception {
        for (String dir : List.of("base", "overlays/existing-postgres-s3")) {
            List<JsonNode> docs = render(dir);
            Path file = tmp.resolve(dir.replace('/', '-') + ".yaml");
            Files.writeString(file, servedVersions(docs));
            KubectlResult r = admin().run("apply", "--dry-run=server", "-f", file.toString());
            assertThat(r.exitCode()).as(dir + ": " + r).isZero();
            assertThat(r.stdout()).contains("deployment.apps/gatehouse created (server dry run)")
                    .contains("poddisruptionbudget.policy/gatehouse created (server dry run)")
                    .contains("clusterrole.rbac.authorization.k8s.io/gatehouse-impersonator created (server dry run)");
        }
        assertThat(admin().run("get", "deployments", "-n", "gatehouse", "-o", "name").stdout())
                .as("a dry run creates nothing").isBlank();
    }

    @Test
    void aBrokenManifestFailsTheDryRun() throws Exception {
        List<JsonNode> docs = render("base");
        ((ObjectNode) one(docs, "Deployment", "gatehouse").get("spec")).put("replicas", "three");
        Path file = tmp.resolve("broken.yaml");
        Files.writeString(file, servedVersions(docs));
        KubectlResult r = admin().run("apply", "--dry-run=server", "-f", file.toString());
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
    }

    @Test
    void theServiceAccountMayImpersonateAndReadRbacAndNothingElse() throws Exception {
        List<JsonNode> docs = render("base");
        StringBuilder rbac = new StringBuilder();
        for (JsonNode d : docs) {
            String kind = d.path("kind").asText();
            if (kind.equals("ServiceAccount") || kind.startsWith("ClusterRole")) {
                rbac.append("---\n").append(new YAMLMapper().writeValueAsString(d));
            }
        }
        Path file = Files.writeString(tmp.resolve("rbac.yaml"), rbac);
        KubectlResult applied = admin().run("apply", "-f", file.toString());
        assertThat(applied.exitCode()).as(applied.toString()).isZero();

        assertCan("yes", "impersonate", "users");
        assertCan("yes", "impersonate", "groups");
        assertCan("yes", "impersonate", "serviceaccounts", "-n", "team-a");
        // kubectl auth can-i resolves resources by discovery, which does not list uids or userextras: asked as the
        // apiserver's authorizer sees an impersonation, with a SubjectAccessReview
        assertThat(allowed("impersonate", "authentication.k8s.io", "uids", "")).isTrue();
        assertThat(allowed("impersonate", "authentication.k8s.io", "userextras", "gatehouse.dev/request-id")).isTrue();
        assertThat(allowed("create", "authentication.k8s.io", "tokenreviews", "")).isFalse();
        assertThat(allowed("impersonate", "", "secrets", "")).isFalse();
        assertCan("yes", "list", "clusterrolebindings.rbac.authorization.k8s.io");
        assertCan("yes", "watch", "rolebindings.rbac.authorization.k8s.io", "-A");
        assertCan("no", "get", "secrets", "-A");
        assertCan("no", "list", "pods", "-A");
        assertCan("no", "create", "clusterrolebindings.rbac.authorization.k8s.io");
        assertCan("no", "escalate", "clusterroles.rbac.authorization.k8s.io");
        assertCan("no", "create", "tokenreviews.authentication.k8s.io");
        assertCan("no", "delete", "deployments.apps", "-n", "gatehouse");
    }

    /** The authorizer's answer for the gateway's ServiceAccount (a SubjectAccessReview created by the admin). */
    private boolean allowed(String verb, String group, String resource, String subresource) throws Exception {
        ObjectNode review = new ObjectMapper().createObjectNode();
        review.put("apiVersion", "authorization.k8s.io/v1").put("kind", "SubjectAccessReview");
        ObjectNode spec = review.putObject("spec");
        spec.put("user", SA);
        spec.putArray("groups").add("system:serviceaccounts").add("system:serviceaccounts:gatehouse")
                .add("system:authenticated");
        spec.putObject("resourceAttributes").put("verb", verb).put("group", group).put("resource", resource)
                .put("subresource", subresource);
        RealApiServer.Response r = server.request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews",
                server.adminToken(), review.toString(), Map.of("Content-Type", "application/json"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().at("/status/allowed").asBoolean();
    }

    private void assertCan(String expected, String verb, String resource, String... extra) {
        List<String> args = new ArrayList<>(List.of("auth", "can-i", verb, resource, "--as", SA));
        args.addAll(List.of(extra));
        KubectlResult r = admin().run(args.toArray(String[]::new));
        assertThat(r.stdout().strip()).as(String.join(" ", args) + ": " + r).isEqualTo(expected);
    }

    /**
     * The rendered documents as YAML for this apiserver: the suite's kube-apiserver is 1.20, which serves
     * PodDisruptionBudget only as policy/v1beta1 (policy/v1 from 1.21; v1beta1 removed in 1.25). When policy/v1
     * is not served, the PDB — whose fields are the same in both — is sent as v1beta1, so the dry run still checks
     * it.
     */
    private String servedVersions(List<JsonNode> docs) throws Exception {
        KubectlResult versions = admin().run("api-versions");
        assertThat(versions.exitCode()).as(versions.toString()).isZero();
        boolean policyV1 = versions.stdoutLines().contains("policy/v1");
        StringBuilder out = new StringBuilder();
        for (JsonNode d : docs) {
            if (!policyV1 && "PodDisruptionBudget".equals(d.path("kind").asText())) {
                ((ObjectNode) d).put("apiVersion", "policy/v1beta1");
            }
            out.append("---\n").append(new YAMLMapper().writeValueAsString(d));
        }
        return out.toString();
    }
}
