package dev.gatehouse.sandbox.seed;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.cluster.EventWriter;
import dev.gatehouse.sandbox.cluster.SimulatedCluster;
import dev.gatehouse.sandbox.resource.Json;
import dev.gatehouse.sandbox.resource.ResourceCatalog;
import dev.gatehouse.sandbox.resource.ResourceType;
import dev.gatehouse.sandbox.store.ObjectStore;

/**
 * The objects a fresh sandbox starts with, shaped like a small real cluster a few days old: namespaces
 * {@code default}, {@code kube-system}, {@code dev} and {@code prod}; one node; in {@code dev} and {@code prod} a
 * deployment {@code web} (2 replicas) with its replica set and running pods, a service, a config map
 * {@code app-config}, an Opaque secret {@code db-credentials} and the events of the rollout; CoreDNS and kube-proxy
 * pods in {@code kube-system}. Names are fixed so tests and the demo script can refer to them.
 */
public final class Seed {
    /** The application namespaces. */
    public static final List<String> APP_NAMESPACES = List.of("dev", "prod");
    /** The {@code pod-template-hash} of the {@code web} deployment's template. */
    public static final String WEB_HASH = SimulatedCluster.templateHash(template(Map.of("app", "web")));
    /** Pod names of the {@code web} deployment by namespace. */
    public static final Map<String, List<String>> WEB_PODS = Map.of(
            "dev", List.of("web-" + WEB_HASH + "-4xk2p", "web-" + WEB_HASH + "-9qzvt"),
            "prod", List.of("web-" + WEB_HASH + "-2mhsd", "web-" + WEB_HASH + "-tq8wn"));
    /** The plain-text values of {@code db-credentials} by namespace. */
    public static final Map<String, Map<String, String>> DB_CREDENTIALS = Map.of(
            "dev", Map.of("username", "app_dev", "password", "dev-Hq7w2Lx9Rk"),
            "prod", Map.of("username", "app_prod", "password", "prod-Zt4vN8pQ1m"));

    private final ObjectStore store;
    private final ResourceCatalog catalog;
    private final Instant now;
    private final EventWriter events;

    private Seed(ObjectStore store, ResourceCatalog catalog, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
        this.events = new EventWriter(store, catalog.find("", "v1", "events").orElseThrow());
    }

    /** Writes the seed objects into an empty store. */
    public static void apply(ObjectStore store, ResourceCatalog catalog, Clock clock) {
        new Seed(store, catalog, clock).all();
    }

    private void all() {
        Duration clusterAge = Duration.ofDays(12);
        for (String ns : List.of("default", "kube-node-lease", "kube-public", "kube-system")) {
            namespace(ns, clusterAge);
        }
        node(clusterAge);
        ObjectNode kubernetes = service("default", "kubernetes", clusterAge, null, 443, 6443, "10.96.0.1");
        Json.child(Json.child(kubernetes, "metadata"), "labels").put("component", "apiserver")
                .put("provider", "kubernetes");
        create("services", kubernetes);
        systemPods(clusterAge);
        for (String ns : APP_NAMESPACES) {
            namespace(ns, Duration.ofDays(3));
            app(ns, Duration.ofDays(3).minusHours(ns.equals("dev") ? 5 : 2));
        }
    }

    private void namespace(String name, Duration age) {
        ObjectNode ns = object("Namespace", null, name, age);
        create("namespaces", ns);
        ObjectNode sa = object("ServiceAccount", name, "default", age);
        create("serviceaccounts", sa);
        ObjectNode rootCa = object("ConfigMap", name, "kube-root-ca.crt", age);
        Json.child(Json.child(rootCa, "metadata"), "annotations").put("kubernetes.io/description", "Contains a CA "
                + "bundle that can be used to verify the kube-apiserver when using internal endpoints such as the "
                + "internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions "
                + "of Kubernetes clusters.");
        rootCa.putObject("data").put("ca.crt", "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAj"
                + "MSEwHwYDVQQDDBhrM3Mtc2VydmVyLWNhQDE3MDAwMDAwMDAw\n-----END CERTIFICATE-----\n");
        create("configmaps", rootCa);
    }

    private void node(Duration age) {
        ObjectNode node = object("Node", null, SimulatedCluster.NODE, age);
        Json.child(Json.child(node, "metadata"), "labels").put("kubernetes.io/hostname", SimulatedCluster.NODE)
                .put("kubernetes.io/os", "linux").put("node-role.kubernetes.io/control-plane", "");
        node.putObject("spec").put("podCIDR", "10.244.0.0/24");
        ObjectNode status = node.putObject("status");
        status.putArray("addresses").addObject().put("type", "InternalIP").put("address", "10.0.0.10");
        status.putArray("conditions").addObject().put("type", "Ready").put("status", "True")
                .put("reason", "KubeletReady").put("message", "kubelet is posting ready status")
                .put("lastHeartbeatTime", now.toString()).put("lastTransitionTime", now.minus(age).toString());
        status.putObject("nodeInfo").put("kubeletVersion", "v1.32.0").put("containerRuntimeVersion",
                "containerd://1.7.24").put("osImage", "Debian GNU/Linux 12 (bookworm)")
                .put("kernelVersion", "6.1.0-28-amd64").put("operatingSystem", "linux").put("architecture", "amd64");
        ObjectNode capacity = status.putObject("capacity").put("cpu", "4").put("memory", "16369584Ki")
                .put("pods", "110");
        status.set("allocatable", capacity.deepCopy());
        create("nodes", node);
    }

    private void systemPods(Duration age) {
        ObjectNode coredns = pod("kube-system", "coredns-668d6bf9bc-4xk2p", age, "coredns",
                "registry.k8s.io/coredns/coredns:v1.11.3", Map.of("k8s-app", "kube-dns"));
        create("pods", coredns);
        ObjectNode proxy = pod("kube-system", "kube-proxy-7qzrv", age, "kube-proxy",
                "registry.k8s.io/kube-proxy:v1.32.0", Map.of("k8s-app", "kube-proxy"));
        create("pods", proxy);
    }

    private void app(String ns, Duration age) {
        String hash = WEB_HASH;
        ObjectNode deployment = object("Deployment", ns, "web", age);
        Json.child(Json.child(deployment, "metadata"), "labels").put("app", "web");
        ObjectNode spec = deployment.putObject("spec").put("replicas", 2);
        spec.putObject("selector").putObject("matchLabels").put("app", "web");
        spec.set("template", template(Map.of("app", "web")));
        ObjectNode storedDeployment = create("deployments", deployment);

        ObjectNode rs = object("ReplicaSet", ns, "web-" + hash, age);
        ObjectNode rsMeta = Json.child(rs, "metadata");
        Json.child(rsMeta, "labels").put("app", "web").put("pod-template-hash", hash);
        Json.child(rsMeta, "annotations").put("deployment.kubernetes.io/desired-replicas", "2")
                .put("deployment.kubernetes.io/max-replicas", "3").put("deployment.kubernetes.io/revision", "1");
        owner(rsMeta, storedDeployment);
        ObjectNode rsSpec = rs.putObject("spec").put("replicas", 2);
        rsSpec.putObject("selector").putObject("matchLabels").put("app", "web").put("pod-template-hash", hash);
        rsSpec.set("template", template(Map.of("app", "web", "pod-template-hash", hash)));
        ObjectNode storedRs = create("replicasets", rs);

        for (String podName : WEB_PODS.get(ns)) {
            ObjectNode pod = pod(ns, podName, age, "web", "nginx:1.27", Map.of("app", "web",
                    "pod-template-hash", hash));
            owner(Json.child(pod, "metadata"), storedRs);
            ObjectNode stored = create("pods", pod);
            podEvents(stored, age);
        }
        event(ns, storedDeployment, "ScalingReplicaSet", "Scaled up replica set web-" + hash + " from 0 to 2",
                "deployment-controller", age, null);

        create("services", service(ns, "web", age, Map.of("app", "web"), 80, 8080, null));

        ObjectNode config = object("ConfigMap", ns, "app-config", age);
        Json.child(Json.child(config, "metadata"), "labels").put("app", "web");
        config.putObject("data").put("APP_ENV", ns).put("LOG_LEVEL", ns.equals("prod") ? "warn" : "debug")
                .put("FEATURE_FLAGS", "search,new-checkout").put("app.properties",
                        "server.port=8080\ncache.ttl=300\n");
        create("configmaps", config);

        ObjectNode secret = object("Secret", ns, "db-credentials", age);
        Json.child(Json.child(secret, "metadata"), "labels").put("app", "web");
        secret.put("type", "Opaque");
        ObjectNode data = secret.putObject("data");
        new java.util.TreeMap<>(DB_CREDENTIALS.get(ns)).forEach((k, v) -> data.put(k, base64(v)));
        data.put("host", base64("postgres." + ns + ".svc.cluster.local"));
        create("secrets", secret);
    }

    private void podEvents(ObjectNode pod, Duration age) {
        String image = pod.path("spec").path("containers").get(0).path("image").asText();
        String name = pod.path("metadata").path("name").asText();
        String container = "spec.containers{" + pod.path("spec").path("containers").get(0).path("name").asText() + "}";
        event(pod.path("metadata").path("namespace").asText(), pod, "Scheduled", "Successfully assigned "
                + pod.path("metadata").path("namespace").asText() + "/" + name + " to " + SimulatedCluster.NODE,
                "default-scheduler", age, null);
        event(pod.path("metadata").path("namespace").asText(), pod, "Pulled", "Container image \"" + image
                + "\" already present on machine", "kubelet", age.minusSeconds(1), container);
        event(pod.path("metadata").path("namespace").asText(), pod, "Created", "Created container: "
                + pod.path("spec").path("containers").get(0).path("name").asText(), "kubelet", age.minusSeconds(2),
                container);
        event(pod.path("metadata").path("namespace").asText(), pod, "Started", "Started container "
                + pod.path("spec").path("containers").get(0).path("name").asText(), "kubelet", age.minusSeconds(3),
                container);
    }

    private void event(String ns, ObjectNode about, String reason, String message, String component, Duration age,
                       String fieldPath) {
        events.normal(about, reason, message, component, now.minus(age), fieldPath);
    }

    private ObjectNode pod(String ns, String name, Duration age, String container, String image,
                           Map<String, String> labels) {
        ObjectNode pod = object("Pod", ns, name, age);
        ObjectNode l = Json.child(Json.child(pod, "metadata"), "labels");
        new java.util.TreeMap<>(labels).forEach(l::put);
        ObjectNode spec = pod.putObject("spec");
        ObjectNode c = spec.putArray("containers").addObject().put("name", container).put("image", image);
        if (container.equals("web")) {
            c.putArray("ports").addObject().put("containerPort", 8080).put("protocol", "TCP").put("name", "http");
            c.putArray("env").addObject().put("name", "APP_ENV").put("value", ns);
        }
        return pod;
    }

    private static ObjectNode template(Map<String, String> labels) {
        ObjectNode template = Json.object();
        ObjectNode l = template.putObject("metadata").putObject("labels");
        new java.util.TreeMap<>(labels).forEach(l::put);
        ObjectNode container = template.putObject("spec").putArray("containers").addObject()
                .put("name", "web").put("image", "nginx:1.27");
        container.putArray("ports").addObject().put("containerPort", 8080).put("protocol", "TCP").put("name", "http");
        ArrayNode env = container.putArray("env");
        env.addObject().put("name", "DB_PASSWORD").putObject("valueFrom").putObject("secretKeyRef")
                .put("name", "db-credentials").put("key", "password");
        container.putObject("resources").putObject("requests").put("cpu", "100m").put("memory", "128Mi");
        return template;
    }

    private ObjectNode service(String ns, String name, Duration age, Map<String, String> selector, int port,
                               int targetPort, String clusterIp) {
        ObjectNode svc = object("Service", ns, name, age);
        ObjectNode spec = svc.putObject("spec").put("type", "ClusterIP");
        if (clusterIp != null) {
            spec.put("clusterIP", clusterIp);
            spec.putArray("clusterIPs").add(clusterIp);
        }
        spec.putArray("ports").addObject().put("name", port == 443 ? "https" : "http").put("port", port)
                .put("targetPort", targetPort).put("protocol", "TCP");
        if (selector != null) {
            ObjectNode s = spec.putObject("selector");
            selector.forEach(s::put);
        }
        return svc;
    }

    private static void owner(ObjectNode meta, ObjectNode owner) {
        meta.putArray("ownerReferences").addObject().put("apiVersion", owner.path("apiVersion").asText())
                .put("kind", owner.path("kind").asText()).put("name", owner.path("metadata").path("name").asText())
                .put("uid", owner.path("metadata").path("uid").asText()).put("controller", true)
                .put("blockOwnerDeletion", true);
    }

    private ObjectNode object(String kind, String ns, String name, Duration age) {
        ObjectNode obj = Json.object();
        ObjectNode meta = obj.put("kind", kind).putObject("metadata").put("name", name);
        if (ns != null) {
            meta.put("namespace", ns);
        }
        meta.put("creationTimestamp", now.minus(age).toString());
        return obj;
    }

    private ObjectNode create(String plural, ObjectNode object) {
        ResourceType type = catalog.all().stream().filter(t -> t.plural().equals(plural)).findFirst().orElseThrow();
        String ns = object.path("metadata").path("namespace").asText("");
        return store.create(type, ns, object, true);
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
