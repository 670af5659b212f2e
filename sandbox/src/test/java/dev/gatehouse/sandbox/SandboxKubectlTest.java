package dev.gatehouse.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlProcess;
import dev.gatehouse.sandbox.kubectl.KubectlResult;
import dev.gatehouse.sandbox.recording.ReceivedRequest;
import dev.gatehouse.sandbox.seed.Seed;

/**
 * The real kubectl 1.32 against the sandbox, directly: reads, tables, describe, protobuf creates, apply, patches,
 * watch, logs, access reviews and explain. Tests that change state work in a namespace of their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxKubectlTest {
    private static final Duration AWAIT = Duration.ofSeconds(15);

    private Sandbox sandbox;
    private Kubectl kubectl;

    @BeforeAll
    void start() {
        sandbox = Sandbox.start(SandboxOptions.builder().denyUser("mallory").build());
        kubectl = Kubectl.create(new Kubeconfig(sandbox.url(), sandbox.caCertificatePem(), sandbox.adminToken(),
                null, null));
    }

    @AfterAll
    void stop() {
        if (kubectl != null) {
            kubectl.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private KubectlResult ok(String... args) {
        KubectlResult result = kubectl.run(args);
        assertThat(result.succeeded()).as("%s", result).isTrue();
        return result;
    }

    private KubectlResult okWithInput(String stdin, String... args) {
        KubectlResult result = kubectl.runWithInput(stdin, args);
        assertThat(result.succeeded()).as("%s", result).isTrue();
        return result;
    }

    private void namespace(String name) {
        assertThat(ok("create", "namespace", name).stdout()).isEqualTo("namespace/" + name + " created\n");
    }

    @Test
    void reportsServerVersion() {
        assertThat(ok("version").stdout()).contains("Client Version: v1.32.").contains("Server Version: v1.32.0");
    }

    @Test
    void listsApiResourcesFromDiscovery() {
        List<String> lines = ok("api-resources").stdoutLines();
        assertThat(lines.get(0)).matches("NAME\\s+SHORTNAMES\\s+APIVERSION\\s+NAMESPACED\\s+KIND");
        assertThat(lines).anyMatch(l -> l.matches("pods\\s+po\\s+v1\\s+true\\s+Pod"))
                .anyMatch(l -> l.matches("namespaces\\s+ns\\s+v1\\s+false\\s+Namespace"))
                .anyMatch(l -> l.matches("secrets\\s+v1\\s+true\\s+Secret"))
                .anyMatch(l -> l.matches("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment"))
                .anyMatch(l -> l.matches("jobs\\s+batch/v1\\s+true\\s+Job"))
                .anyMatch(l -> l.matches("selfsubjectaccessreviews\\s+authorization.k8s.io/v1\\s+false\\s+"
                        + "SelfSubjectAccessReview"));
    }

    @Test
    void printsPodsOfAllNamespacesAsAServerSideTable() {
        List<String> lines = ok("get", "pods", "-A").stdoutLines();
        assertThat(lines.get(0)).matches("NAMESPACE\\s+NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE");
        for (String ns : Seed.APP_NAMESPACES) {
            for (String pod : Seed.WEB_PODS.get(ns)) {
                assertThat(lines).anyMatch(l -> l.matches(ns + "\\s+" + pod + "\\s+1/1\\s+Running\\s+0\\s+2d\\d+h"));
            }
        }
        assertThat(lines).anyMatch(l -> l.matches("kube-system\\s+coredns-\\S+\\s+1/1\\s+Running\\s+0\\s+12d"));
        ReceivedRequest list = sandbox.received().stream()
                .filter(r -> r.rawPath().equals("/api/v1/pods") && r.query().equals("limit=500")).findFirst()
                .orElseThrow();
        assertThat(list.header("Accept")).startsWith("application/json;as=Table;v=v1;g=meta.k8s.io");
    }

    @Test
    void printsWidePodColumns() {
        List<String> lines = ok("get", "pods", "-n", "dev", "-o", "wide").stdoutLines();
        assertThat(lines.get(0)).matches(
                "NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+IP\\s+NODE\\s+NOMINATED NODE\\s+READINESS GATES");
        assertThat(lines.get(1)).matches(Seed.WEB_PODS.get("dev").get(0)
                + "\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+10\\.244\\.0\\.\\d+\\s+sandbox-node-1\\s+<none>\\s+<none>");
    }

    @Test
    void printsDeploymentsSecretsAndConfigMapsOfAllNamespaces() {
        assertThat(ok("get", "deployments", "-A").stdoutLines())
                .first().asString().matches("NAMESPACE\\s+NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE");
        assertThat(ok("get", "deployments", "-A").stdoutLines())
                .anyMatch(l -> l.matches("dev\\s+web\\s+2/2\\s+2\\s+2\\s+\\S+"))
                .anyMatch(l -> l.matches("prod\\s+web\\s+2/2\\s+2\\s+2\\s+\\S+"));
        List<String> secrets = ok("get", "secrets", "-A").stdoutLines();
        assertThat(secrets.get(0)).matches("NAMESPACE\\s+NAME\\s+TYPE\\s+DATA\\s+AGE");
        assertThat(secrets).anyMatch(l -> l.matches("dev\\s+db-credentials\\s+Opaque\\s+3\\s+\\S+"))
                .anyMatch(l -> l.matches("prod\\s+db-credentials\\s+Opaque\\s+3\\s+\\S+"));
        List<String> configMaps = ok("get", "configmaps", "-A").stdoutLines();
        assertThat(configMaps.get(0)).matches("NAMESPACE\\s+NAME\\s+DATA\\s+AGE");
        assertThat(configMaps).anyMatch(l -> l.matches("dev\\s+app-config\\s+4\\s+\\S+"))
                .anyMatch(l -> l.matches("kube-system\\s+kube-root-ca.crt\\s+1\\s+12d"));
    }

    @Test
    void printsObjectsAsYamlAndJson() {
        String yaml = ok("get", "secret", "db-credentials", "-n", "prod", "-o", "yaml").stdout();
        assertThat(yaml).contains("kind: Secret\n").contains("type: Opaque\n")
                .contains("  password: cHJvZC1adDR2TjhwUTFt\n") // base64 of prod-Zt4vN8pQ1m
                .contains("  name: db-credentials\n").contains("  namespace: prod\n");
        String json = ok("get", "configmap", "app-config", "-n", "dev", "-o", "json").stdout();
        assertThat(json).contains("\"APP_ENV\": \"dev\"").contains("\"kind\": \"ConfigMap\"");
        String list = ok("get", "pods", "-n", "prod", "-o", "yaml").stdout();
        assertThat(list).startsWith("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n")
                .contains("kind: List\n").contains("phase: Running");
    }

    @Test
    void describesPodWithItsEventsAndDeploymentWithItsReplicaSet() {
        String pod = Seed.WEB_PODS.get("dev").get(0);
        String podText = ok("describe", "pod", pod, "-n", "dev").stdout();
        assertThat(podText).containsPattern("Name:\\s+" + pod + "\n").containsPattern("Namespace:\\s+dev\n")
                .containsPattern("Service Account:\\s+default\n")
                .containsPattern("Node:\\s+sandbox-node-1/10.0.0.10\n").containsPattern("Status:\\s+Running\n")
                .contains("Controlled By:  ReplicaSet/web-" + Seed.WEB_HASH).contains("Image:          nginx:1.27")
                .containsPattern("Normal\\s+Scheduled\\s+\\S+\\s+default-scheduler\\s+Successfully assigned dev/"
                        + pod + " to sandbox-node-1")
                .containsPattern("Normal\\s+Started\\s+\\S+\\s+kubelet\\s+Started container web");
        String deployment = ok("describe", "deployment", "web", "-n", "prod").stdout();
        assertThat(deployment).contains("Replicas:               2 desired | 2 updated | 2 total | 2 available | "
                        + "0 unavailable")
                .contains("NewReplicaSet:   web-" + Seed.WEB_HASH + " (2/2 replicas created)")
                .contains("DB_PASSWORD:  <set to the key 'password' in secret 'db-credentials'>")
                .containsPattern("Normal\\s+ScalingReplicaSet\\s+\\S+\\s+deployment-controller\\s+Scaled up replica "
                        + "set web-" + Seed.WEB_HASH + " from 0 to 2");
    }

    @Test
    void createsNamespaceConfigMapAndSecretFromProtobufBodies() {
        namespace("proto");
        assertThat(ok("create", "configmap", "cm1", "-n", "proto", "--from-literal=a=b").stdout())
                .isEqualTo("configmap/cm1 created\n");
        assertThat(ok("create", "secret", "generic", "s1", "-n", "proto", "--from-literal=pw=s3cr3t").stdout())
                .isEqualTo("secret/s1 created\n");
        assertThat(ok("get", "configmap", "cm1", "-n", "proto", "-o", "jsonpath={.data}").stdout())
                .isEqualTo("{\"a\":\"b\"}");
        assertThat(ok("get", "secret", "s1", "-n", "proto", "-o", "jsonpath={.type} {.data.pw}").stdout())
                .isEqualTo("Opaque czNjcjN0");
        List<ReceivedRequest> creates = sandbox.received().stream()
                .filter(r -> r.method().equals("POST") && (r.rawPath().equals("/api/v1/namespaces")
                        || r.rawPath().startsWith("/api/v1/namespaces/proto/"))).toList();
        assertThat(creates).extracting(ReceivedRequest::rawPath).contains("/api/v1/namespaces",
                "/api/v1/namespaces/proto/configmaps", "/api/v1/namespaces/proto/secrets");
        assertThat(creates).allSatisfy(r -> assertThat(r.header("Content-Type"))
                .isEqualTo("application/vnd.kubernetes.protobuf"));
        KubectlResult again = kubectl.run("create", "configmap", "cm1", "-n", "proto", "--from-literal=a=b");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).isEqualTo("error: failed to create configmap: configmaps \"cm1\" already exists\n");
    }

    @Test
    void createsDeploymentFromProtobufWithDefaultsAndStatus() {
        namespace("proto-deploy");
        ok("create", "deployment", "d1", "--image=nginx:1.27", "--replicas=3", "-n", "proto-deploy");
        assertThat(ok("get", "deployment", "d1", "-n", "proto-deploy").stdoutLines())
                .element(1).asString().matches("d1\\s+3/3\\s+3\\s+3\\s+\\d+s");
        assertThat(ok("get", "deployment", "d1", "-n", "proto-deploy", "-o",
                "jsonpath={.spec.replicas} {.spec.strategy.rollingUpdate.maxSurge} "
                        + "{.spec.template.spec.containers[0].image}").stdout())
                .isEqualTo("3 25% nginx:1.27");
    }

    @Test
    void controllersRollOutReplicaSetsAndReplaceDeletedPods() {
        namespace("rollout");
        assertThat(ok("get", "serviceaccount", "default", "-n", "rollout", "-o", "name").stdout())
                .isEqualTo("serviceaccount/default\n");
        ok("create", "deployment", "app", "--image=nginx:1.27", "--replicas=2", "-n", "rollout");
        List<String> first = awaitPods("rollout", 2);
        assertThat(first).allMatch(p -> p.matches("pod/app-[bcdfghjklmnpqrstvwxz2456789]{10}-[a-z0-9]{5}"));
        ok("delete", first.get(0), "-n", "rollout");
        List<String> replaced = awaitPods("rollout", 2, first.get(0));
        assertThat(replaced).contains(first.get(1)).doesNotContain(first.get(0));
        ok("set", "image", "deployment/app", "nginx=nginx:1.28", "-n", "rollout");
        List<String> rolled = awaitPods("rollout", 2, replaced.toArray(String[]::new));
        assertThat(rolled).noneMatch(replaced::contains);
        assertThat(ok("rollout", "status", "deployment/app", "-n", "rollout").stdout())
                .isEqualTo("deployment \"app\" successfully rolled out\n");
        assertThat(ok("get", "replicasets", "-n", "rollout").stdoutLines()).hasSize(3)
                .anyMatch(l -> l.matches("app-\\w{10}\\s+0\\s+0\\s+0\\s+\\d+s"))
                .anyMatch(l -> l.matches("app-\\w{10}\\s+2\\s+2\\s+2\\s+\\d+s"));
        ok("delete", "deployment", "app", "-n", "rollout");
        awaitPods("rollout", 0, rolled.toArray(String[]::new));
    }

    /** Polls until the namespace has exactly {@code count} pods, none of them {@code gone}. */
    private List<String> awaitPods(String namespace, int count, String... gone) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        List<String> pods = List.of();
        while (System.nanoTime() < deadline) {
            pods = ok("get", "pods", "-n", namespace, "-o", "name").stdoutLines();
            if (pods.size() == count && pods.stream().noneMatch(List.of(gone)::contains)) {
                return pods;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("expected " + count + " pods in " + namespace + " without " + List.of(gone)
                + ", got " + pods);
    }

    @Test
    void appliesClientSideCreatingThenUnchangedThenConfigured() {
        namespace("apply");
        String v1 = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apply\n"
                + "data:\n  mode: one\n";
        assertThat(okWithInput(v1, "apply", "-f", "-").stdout()).isEqualTo("configmap/settings created\n");
        assertThat(okWithInput(v1, "apply", "-f", "-").stdout()).isEqualTo("configmap/settings unchanged\n");
        assertThat(okWithInput(v1.replace("one", "two"), "apply", "-f", "-").stdout())
                .isEqualTo("configmap/settings configured\n");
        assertThat(ok("get", "cm", "settings", "-n", "apply", "-o", "jsonpath={.data.mode}").stdout())
                .isEqualTo("two");
        assertThat(ok("get", "cm", "settings", "-n", "apply", "-o",
                "jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}").stdout())
                .contains("\"mode\":\"two\"");
        assertThat(sandbox.received()).anyMatch(r -> r.method().equals("PATCH")
                && r.rawPath().equals("/api/v1/namespaces/apply/configmaps/settings")
                && "application/strategic-merge-patch+json".equals(r.header("Content-Type")));
    }

    @Test
    void appliesADeploymentAndMergesContainersByName() {
        namespace("apply-deploy");
        String manifest = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: apply-deploy, labels: {app: api}}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: api}}
                  template:
                    metadata: {labels: {app: api}}
                    spec:
                      containers:
                      - {name: api, image: "nginx:1.25", ports: [{containerPort: 80}]}
                      - {name: sidecar, image: "busybox:1.36"}
                """;
        assertThat(okWithInput(manifest, "apply", "-f", "-").stdout()).isEqualTo("deployment.apps/api created\n");
        String changed = manifest.replace("replicas: 1", "replicas: 2").replace("nginx:1.25", "nginx:1.27");
        assertThat(okWithInput(changed, "apply", "-f", "-").stdout()).isEqualTo("deployment.apps/api configured\n");
        assertThat(ok("get", "deploy", "api", "-n", "apply-deploy", "-o",
                "jsonpath={.spec.replicas} {.spec.template.spec.containers[*].image} {.metadata.generation}").stdout())
                .isEqualTo("2 nginx:1.27 busybox:1.36 2");
    }

    @Test
    void appliesServerSideCreatingThenMerging() {
        namespace("ssa");
        String v1 = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-ssa\n  namespace: ssa\ndata:\n  a: \"1\"\n";
        assertThat(okWithInput(v1, "apply", "--server-side", "-f", "-").stdout())
                .isEqualTo("configmap/cm-ssa serverside-applied\n");
        assertThat(okWithInput(v1.replace("\"1\"", "\"2\""), "apply", "--server-side", "-f", "-").stdout())
                .isEqualTo("configmap/cm-ssa serverside-applied\n");
        assertThat(ok("get", "cm", "cm-ssa", "-n", "ssa", "-o",
                "jsonpath={.data.a} {.metadata.managedFields[0].manager} {.metadata.managedFields[0].operation}")
                .stdout()).isEqualTo("2 kubectl Apply");
        assertThat(sandbox.received()).anyMatch(r -> r.method().equals("PATCH")
                && "application/apply-patch+yaml".equals(r.header("Content-Type"))
                && r.query().contains("fieldManager=kubectl"));
    }

    @Test
    void patchesWithStrategicMergeAndJsonPatches() {
        namespace("patch");
        ok("create", "configmap", "cm", "-n", "patch", "--from-literal=a=b");
        assertThat(ok("patch", "cm", "cm", "-n", "patch", "-p", "{\"data\":{\"s\":\"1\"}}").stdout())
                .isEqualTo("configmap/cm patched\n");
        ok("patch", "cm", "cm", "-n", "patch", "--type=merge", "-p", "{\"data\":{\"m\":\"1\",\"a\":null}}");
        ok("patch", "cm", "cm", "-n", "patch", "--type=json", "-p", "[{\"op\":\"add\",\"path\":\"/data/j\",\"value\":\"1\"}]");
        assertThat(ok("get", "cm", "cm", "-n", "patch", "-o", "jsonpath={.data}").stdout())
                .isEqualTo("{\"j\":\"1\",\"m\":\"1\",\"s\":\"1\"}");
        KubectlResult failing = kubectl.run("patch", "cm", "cm", "-n", "patch", "--type=json", "-p",
                "[{\"op\":\"remove\",\"path\":\"/data/nope\"}]");
        assertThat(failing.exitCode()).isEqualTo(1);
        assertThat(failing.stderr()).contains("the JSON patch path /data/nope does not exist");
    }

    @Test
    void serverSideDryRunsAndDiffChangeNothing() {
        namespace("dry");
        ok("create", "configmap", "c", "-n", "dry", "--from-literal=a=1");
        assertThat(ok("create", "configmap", "d", "-n", "dry", "--from-literal=a=1", "--dry-run=server").stdout())
                .isEqualTo("configmap/d created (server dry run)\n");
        assertThat(ok("delete", "configmap", "c", "-n", "dry", "--dry-run=server").stdout())
                .isEqualTo("configmap \"c\" deleted (server dry run)\n");
        String changed = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: dry}\ndata: {a: \"2\"}\n";
        KubectlResult diff = kubectl.runWithInput(changed, "diff", "-f", "-");
        assertThat(diff.exitCode()).as("%s", diff).isEqualTo(1);
        assertThat(diff.stdout()).contains("-  a: \"1\"\n").contains("+  a: \"2\"\n");
        assertThat(ok("get", "configmaps", "-n", "dry", "-o", "jsonpath={.items[*].metadata.name}={.items[*].data.a}")
                .stdout()).isEqualTo("c kube-root-ca.crt=1");
    }

    @Test
    void labelsAnnotatesScalesAndDeletes() {
        namespace("meta");
        ok("create", "deployment", "d", "--image=nginx", "-n", "meta");
        assertThat(ok("label", "deploy", "d", "-n", "meta", "tier=web").stdout())
                .isEqualTo("deployment.apps/d labeled\n");
        assertThat(ok("annotate", "deploy", "d", "-n", "meta", "owner=team-a").stdout())
                .isEqualTo("deployment.apps/d annotated\n");
        assertThat(ok("scale", "deploy", "d", "-n", "meta", "--replicas=4").stdout())
                .isEqualTo("deployment.apps/d scaled\n");
        assertThat(ok("get", "deploy", "-n", "meta", "-l", "tier=web", "-o",
                "jsonpath={.items[0].metadata.annotations.owner} {.items[0].spec.replicas}").stdout())
                .isEqualTo("team-a 4");
        assertThat(ok("delete", "deploy", "d", "-n", "meta").stdout()).isEqualTo("deployment.apps \"d\" deleted\n");
        KubectlResult gone = kubectl.run("get", "deploy", "d", "-n", "meta");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.stderr()).isEqualTo("Error from server (NotFound): deployments.apps \"d\" not found\n");
        assertThat(ok("delete", "namespace", "meta").stdout()).isEqualTo("namespace \"meta\" deleted\n");
    }

    @Test
    void watchSeesAConcurrentCreateAndDelete() {
        namespace("watch");
        ok("create", "configmap", "before", "-n", "watch", "--from-literal=k=v");
        try (KubectlProcess watch = kubectl.start("get", "configmaps", "-n", "watch", "-w")) {
            assertThat(watch.awaitLine(l -> l.startsWith("before "), AWAIT)).as("%s", watch).isPresent();
            ok("create", "configmap", "during", "-n", "watch", "--from-literal=a=1", "--from-literal=b=2");
            Optional<String> added = watch.awaitLine(l -> l.startsWith("during "), AWAIT);
            assertThat(added).as("%s", watch).hasValueSatisfying(l -> assertThat(l).matches("during\\s+2\\s+\\d+s"));
            ok("delete", "configmap", "during", "-n", "watch");
            assertThat(watch.awaitLineCount(4, AWAIT)).as("%s", watch).isTrue();
            assertThat(watch.lines().get(0)).matches("NAME\\s+DATA\\s+AGE");
            assertThat(watch.lines()).filteredOn(l -> l.startsWith("during ")).hasSize(2);
        }
        assertThat(sandbox.received()).anyMatch(r -> r.rawPath().equals("/api/v1/namespaces/watch/configmaps")
                && r.query().contains("watch=true"));
    }

    @Test
    void watchesPodsOfAllNamespaces() {
        namespace("watch-pods");
        try (KubectlProcess watch = kubectl.start("get", "pods", "-A", "-w")) {
            assertThat(watch.awaitLine(l -> l.startsWith("prod "), AWAIT)).as("%s", watch).isPresent();
            ok("run", "p1", "--image=busybox", "-n", "watch-pods");
            assertThat(watch.awaitLine(l -> l.matches("watch-pods\\s+p1\\s+1/1\\s+Running\\s+0\\s+\\d+s"), AWAIT))
                    .as("%s", watch).isPresent();
        }
    }

    @Test
    void printsAndFollowsPodLogs() {
        String pod = Seed.WEB_PODS.get("dev").get(1);
        assertThat(ok("logs", pod, "-n", "dev", "--tail=2").stdoutLines()).containsExactly(
                pod + "/web line 9: GET /api/items/9 200 66ms",
                pod + "/web line 10: GET /api/items/10 200 13ms");
        assertThat(ok("logs", pod, "-n", "dev", "--timestamps", "--tail=1").stdout())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z " + pod + "/web line 10: .*\n");
        try (KubectlProcess follow = kubectl.start("logs", "-f", pod, "-n", "dev", "--tail=1")) {
            assertThat(follow.awaitLine(l -> l.startsWith(pod + "/web line 13: "), AWAIT)).as("%s", follow)
                    .isPresent();
            assertThat(follow.lines()).startsWith(pod + "/web line 10: GET /api/items/10 200 13ms",
                    pod + "/web line 11: GET /api/items/11 200 50ms");
        }
        KubectlResult wrongContainer = kubectl.run("logs", pod, "-n", "dev", "-c", "nope");
        assertThat(wrongContainer.exitCode()).isEqualTo(1);
        assertThat(wrongContainer.stderr()).contains("container nope is not valid for pod " + pod);
    }

    @Test
    void execsCommandsOverWebSocketWithStdinAndExitCodes() {
        String pod = Seed.WEB_PODS.get("prod").get(0);
        assertThat(ok("exec", pod, "-n", "prod", "--", "echo", "hello", "world").stdout()).isEqualTo("hello world\n");
        assertThat(okWithInput("piped\n", "exec", "-i", pod, "-n", "prod", "--", "cat").stdout())
                .isEqualTo("piped\n");
        assertThat(okWithInput("echo one\ncat /etc/hostname\n", "exec", "-i", pod, "-n", "prod", "--", "sh").stdout())
                .isEqualTo("one\n" + pod + "\n");
        KubectlResult failed = kubectl.run("exec", pod, "-n", "prod", "--", "sh", "-c", "echo before; exit 3");
        assertThat(failed.exitCode()).as("%s", failed).isEqualTo(3);
        assertThat(failed.stdout()).isEqualTo("before\n");
        assertThat(failed.stderr()).isEqualTo("command terminated with exit code 3\n");
        ReceivedRequest upgrade = sandbox.received().stream()
                .filter(r -> r.rawPath().equals("/api/v1/namespaces/prod/pods/" + pod + "/exec")).findFirst()
                .orElseThrow();
        assertThat(upgrade.header("Sec-WebSocket-Protocol")).isEqualTo("v5.channel.k8s.io");
        assertThat(upgrade.query()).contains("command=echo&command=hello&command=world");
    }

    @Test
    void copiesFilesOutOfPodsWithTarOverExec() throws Exception {
        String pod = Seed.WEB_PODS.get("prod").get(1);
        java.nio.file.Path target = java.nio.file.Files.createTempDirectory("sandbox-cp").resolve("os-release");
        ok("cp", "prod/" + pod + ":/etc/os-release", target.toString());
        assertThat(java.nio.file.Files.readString(target)).startsWith("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
    }

    @Test
    void answersAccessReviewsAndDeniesListedUsers() {
        KubectlResult yes = kubectl.run("auth", "can-i", "delete", "secrets", "-n", "prod");
        assertThat(yes.exitCode()).as("%s", yes).isZero();
        assertThat(yes.stdout()).isEqualTo("yes\n");
        KubectlResult no = kubectl.run("auth", "can-i", "get", "pods", "-n", "dev", "--as", "mallory");
        assertThat(no.exitCode()).as("%s", no).isEqualTo(1);
        assertThat(no.stdout()).isEqualTo("no - the sandbox denies every request of user \"mallory\"\n");
        ReceivedRequest review = sandbox.receivedWithHeader("Impersonate-User", "mallory").stream()
                .filter(r -> r.rawPath().equals("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"))
                .findFirst().orElseThrow();
        assertThat(review.header("Content-Type")).isEqualTo("application/vnd.kubernetes.protobuf");
        assertThat(ok("auth", "whoami", "--as", "alice", "--as-group", "devs").stdoutLines()).containsExactly(
                "ATTRIBUTE   VALUE", "Username    alice", "Groups      [devs system:authenticated]");
    }

    @Test
    void explainsKindsAndFieldsFromOpenApiV3() {
        String pods = ok("explain", "pods").stdout();
        assertThat(pods).startsWith("KIND:       Pod\nVERSION:    v1\n").contains("DESCRIPTION:\n    Pod is a collection")
                .contains("  spec\t<PodSpec>\n");
        String spec = ok("explain", "deployment.spec").stdout();
        assertThat(spec).startsWith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n")
                .contains("FIELD: spec <DeploymentSpec>").contains("  replicas\t<integer>\n")
                .contains("  template\t<PodTemplateSpec> -required-\n");
    }

    @Test
    void refusesRequestsWithoutTheSandboxToken() {
        try (Kubectl stranger = Kubectl.create(new Kubeconfig(sandbox.url(), sandbox.caCertificatePem(), "wrong",
                null, null))) {
            KubectlResult result = stranger.run("get", "pods");
            assertThat(result.exitCode()).isEqualTo(1);
            // what kubectl 1.32 prints for a 401 Status from a real apiserver, too
            assertThat(result.stderr()).endsWith("error: You must be logged in to the server (the server has asked "
                    + "for the client to provide credentials)\n");
        }
    }

    @Test
    void recordsWhatItReceivesIncludingImpersonation() {
        try (Kubectl gateway = Kubectl.create(new Kubeconfig(sandbox.url(), sandbox.caCertificatePem(),
                sandbox.token(), null, "dev"))) {
            KubectlResult whoami = gateway.run("auth", "whoami");
            assertThat(whoami.stdout()).as("%s", whoami).contains("Username    gatehouse");
            KubectlResult get = gateway.run("get", "configmap", "app-config", "--as", "bob", "--as-group", "devs",
                    "--as-uid", "42");
            assertThat(get.succeeded()).as("%s", get).isTrue();
        }
        ReceivedRequest request = sandbox.receivedWithHeader("Impersonate-User", "bob").stream()
                .filter(r -> r.rawPath().equals("/api/v1/namespaces/dev/configmaps/app-config")).findFirst()
                .orElseThrow();
        assertThat(request.headers("Impersonate-Group")).containsExactly("devs");
        assertThat(request.header("Impersonate-Uid")).isEqualTo("42");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + sandbox.token());
        assertThat(request.header("User-Agent")).startsWith("kubectl.1.32/v1.32.");
        assertThat(request.protocol()).isEqualTo("HTTP/2");
        assertThat(request.toString()).doesNotContain(sandbox.token()).contains("Bearer <masked>");
    }
}
