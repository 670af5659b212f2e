package dev.gatehouse.sandbox.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.Json;
import dev.gatehouse.sandbox.resource.ResourceType;
import dev.gatehouse.sandbox.store.Admission;

/**
 * What a real cluster's defaulting, controllers and kubelet would do to an object, done at once as it is written:
 * pods are scheduled and running, workloads report their desired replicas ready, services get a cluster IP,
 * namespaces are active, a Secret's {@code stringData} becomes base64 {@code data}. Nothing runs in the background.
 */
public final class SimulatedCluster implements Admission {
    /** The node every pod runs on. */
    public static final String NODE = "sandbox-node-1";

    private final Clock clock;
    private int nextPodIp = 10;
    private int nextServiceIp = 10;

    public SimulatedCluster(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void admit(ResourceType type, ObjectNode object, ObjectNode previous) {
        if (previous != null && !object.has("status") && previous.has("status")) {
            object.set("status", previous.get("status"));
        }
        String key = type.group() + "/" + type.plural();
        switch (key) {
            case "/namespaces" -> namespace(object);
            case "/pods" -> pod(object);
            case "/services" -> service(object);
            case "/secrets" -> secret(object);
            case "apps/deployments", "apps/replicasets", "apps/statefulsets" -> workload(type, object, previous);
            case "batch/jobs" -> job(object);
            default -> { }
        }
    }

    private void namespace(ObjectNode ns) {
        String name = Json.text(ns, "metadata.name");
        Json.child(Json.child(ns, "metadata"), "labels").put("kubernetes.io/metadata.name", name);
        ObjectNode spec = Json.child(ns, "spec");
        if (!spec.has("finalizers")) {
            spec.putArray("finalizers").add("kubernetes");
        }
        Json.child(ns, "status").put("phase", "Active");
    }

    private void pod(ObjectNode pod) {
        ObjectNode spec = Json.child(pod, "spec");
        if (!spec.hasNonNull("nodeName")) {
            spec.put("nodeName", NODE);
        }
        if (!spec.hasNonNull("serviceAccountName")) {
            spec.put("serviceAccountName", "default");
        }
        podSpecDefaults(spec);
        ObjectNode status = Json.child(pod, "status");
        if (!status.hasNonNull("phase")) {
            runningStatus(pod, status);
        }
    }

    /** The apiserver's defaults for a pod spec (also applied to workload templates). */
    private static void podSpecDefaults(ObjectNode spec) {
        defaults(spec, Map.of("restartPolicy", "Always", "dnsPolicy", "ClusterFirst",
                "schedulerName", "default-scheduler"));
        if (!spec.has("securityContext")) {
            spec.putObject("securityContext");
        }
        defaultInt(spec, "terminationGracePeriodSeconds", 30);
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : spec.path(list)) {
                if (c instanceof ObjectNode container) {
                    String image = container.path("image").asText("");
                    boolean latest = !image.contains(":") || image.endsWith(":latest");
                    defaults(container, Map.of("imagePullPolicy", latest ? "Always" : "IfNotPresent",
                            "terminationMessagePath", "/dev/termination-log",
                            "terminationMessagePolicy", "File"));
                    if (!container.has("resources")) {
                        container.putObject("resources");
                    }
                    for (JsonNode p : container.path("ports")) {
                        if (p instanceof ObjectNode port && !port.has("protocol")) {
                            port.put("protocol", "TCP");
                        }
                    }
                }
            }
        }
    }

    /**
     * The {@code pod-template-hash} of a workload's pod template: ten characters derived from its labels and its
     * containers' names and images, so that the same template always gives the same replica set name.
     */
    public static String templateHash(JsonNode template) {
        StringBuilder key = new StringBuilder();
        new java.util.TreeMap<>(Json.MAPPER.convertValue(template.path("metadata").path("labels"), Map.class))
                .forEach((k, v) -> key.append(k).append('=').append(v).append(';'));
        for (JsonNode c : template.path("spec").path("containers")) {
            key.append(c.path("name").asText()).append('@').append(c.path("image").asText()).append(';');
        }
        byte[] digest = sha(key.toString());
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder hash = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            hash.append(alphabet.charAt((digest[i] & 0xff) % alphabet.length()));
        }
        return hash.toString();
    }

    private void runningStatus(ObjectNode pod, ObjectNode status) {
        String started = Json.text(pod, "metadata.creationTimestamp");
        if (started == null) {
            started = now();
        }
        status.put("phase", "Running");
        ArrayNode conditions = status.putArray("conditions");
        for (String type : new String[] {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                "PodScheduled"}) {
            conditions.addObject().put("type", type).put("status", "True").putNull("lastProbeTime")
                    .put("lastTransitionTime", started);
        }
        status.put("hostIP", "10.0.0.10");
        status.putArray("hostIPs").addObject().put("ip", "10.0.0.10");
        String ip = "10.244.0." + nextPodIp;
        nextPodIp = nextPodIp >= 250 ? 10 : nextPodIp + 1;
        status.put("podIP", ip);
        status.putArray("podIPs").addObject().put("ip", ip);
        status.put("startTime", started);
        ArrayNode statuses = status.putArray("containerStatuses");
        for (JsonNode c : pod.path("spec").path("containers")) {
            String image = c.path("image").asText("");
            ObjectNode cs = statuses.addObject();
            cs.put("name", c.path("name").asText()).put("image", image)
                    .put("imageID", "docker.io/library/" + image + "@sha256:"
                            + "%064x".formatted(new java.math.BigInteger(1, sha(image))))
                    .put("containerID", "containerd://" + "%064x".formatted(
                            new java.math.BigInteger(1, sha(Json.text(pod, "metadata.name") + c.path("name")))))
                    .put("ready", true).put("restartCount", 0).put("started", true);
            cs.putObject("state").putObject("running").put("startedAt", started);
            cs.putObject("lastState");
        }
        status.put("qosClass", "BestEffort");
    }

    private static byte[] sha(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void service(ObjectNode svc) {
        ObjectNode spec = Json.child(svc, "spec");
        defaults(spec, Map.of("type", "ClusterIP", "sessionAffinity", "None", "ipFamilyPolicy", "SingleStack",
                "internalTrafficPolicy", "Cluster"));
        if (!spec.hasNonNull("clusterIP")) {
            String ip = "10.96." + (nextServiceIp / 250) + "." + (nextServiceIp % 250 + 1);
            nextServiceIp++;
            spec.put("clusterIP", ip);
            spec.putArray("clusterIPs").add(ip);
        }
        if (!spec.has("ipFamilies")) {
            spec.putArray("ipFamilies").add("IPv4");
        }
        for (JsonNode p : spec.path("ports")) {
            if (p instanceof ObjectNode port) {
                if (!port.has("protocol")) {
                    port.put("protocol", "TCP");
                }
                if (!port.has("targetPort") && port.has("port")) {
                    port.set("targetPort", port.get("port"));
                }
            }
        }
        Json.child(Json.child(svc, "status"), "loadBalancer");
    }

    private static void secret(ObjectNode secret) {
        if (!secret.hasNonNull("type")) {
            secret.put("type", "Opaque");
        }
        JsonNode stringData = secret.remove("stringData");
        if (stringData != null && stringData.isObject()) {
            ObjectNode data = Json.child(secret, "data");
            for (Map.Entry<String, JsonNode> e : Json.fields(stringData)) {
                data.put(e.getKey(), Base64.getEncoder().encodeToString(
                        e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    private void workload(ResourceType type, ObjectNode obj, ObjectNode previous) {
        ObjectNode spec = Json.child(obj, "spec");
        if (!spec.has("replicas")) {
            spec.put("replicas", 1);
        }
        if (type.plural().equals("deployments")) {
            if (!spec.has("strategy")) {
                ObjectNode strategy = spec.putObject("strategy").put("type", "RollingUpdate");
                strategy.putObject("rollingUpdate").put("maxUnavailable", "25%").put("maxSurge", "25%");
            }
            defaultInt(spec, "revisionHistoryLimit", 10);
            defaultInt(spec, "progressDeadlineSeconds", 600);
            ObjectNode annotations = Json.child(Json.child(obj, "metadata"), "annotations");
            String revision = "deployment.kubernetes.io/revision";
            JsonNode before = previous == null ? null : previous.path("metadata").path("annotations").get(revision);
            if (before == null) {
                annotations.put(revision, "1");
            } else {
                boolean rolled = !templateHash(previous.path("spec").path("template"))
                        .equals(templateHash(spec.path("template")));
                annotations.put(revision, Long.toString(before.asLong(1) + (rolled ? 1 : 0)));
            }
        }
        if (spec.path("template").path("spec") instanceof ObjectNode podSpec) {
            podSpecDefaults(podSpec);
        }
        int replicas = spec.path("replicas").asInt();
        ObjectNode status = obj.putObject("status");
        status.put("observedGeneration", obj.path("metadata").path("generation").asLong(1));
        if (replicas > 0) {
            status.put("replicas", replicas).put("readyReplicas", replicas).put("availableReplicas", replicas);
            if (!type.plural().equals("replicasets")) {
                status.put("updatedReplicas", replicas);
            }
            status.put(type.plural().equals("replicasets") ? "fullyLabeledReplicas" : "currentReplicas", replicas);
        } else {
            status.put("replicas", 0);
        }
        if (type.plural().equals("deployments")) {
            String since = previous != null ? Json.text(previous, "metadata.creationTimestamp")
                    : Json.text(obj, "metadata.creationTimestamp");
            String time = since == null ? now() : since;
            ArrayNode conditions = status.putArray("conditions");
            conditions.addObject().put("type", "Available").put("status", "True")
                    .put("lastUpdateTime", time).put("lastTransitionTime", time)
                    .put("reason", "MinimumReplicasAvailable").put("message", "Deployment has minimum availability.");
            conditions.addObject().put("type", "Progressing").put("status", "True")
                    .put("lastUpdateTime", time).put("lastTransitionTime", time)
                    .put("reason", "NewReplicaSetAvailable").put("message", "ReplicaSet \""
                            + Json.text(obj, "metadata.name") + "-" + templateHash(spec.path("template"))
                            + "\" has successfully progressed.");
        }
    }

    private void job(ObjectNode job) {
        ObjectNode spec = Json.child(job, "spec");
        if (spec.path("template").path("spec") instanceof ObjectNode podSpec) {
            podSpecDefaults(podSpec);
        }
        defaultInt(spec, "completions", 1);
        defaultInt(spec, "parallelism", 1);
        defaultInt(spec, "backoffLimit", 6);
        ObjectNode status = Json.child(job, "status");
        if (!status.has("conditions")) {
            String start = Json.text(job, "metadata.creationTimestamp");
            String time = start == null ? now() : start;
            status.put("startTime", time).put("completionTime", time)
                    .put("succeeded", spec.path("completions").asInt(1)).put("ready", 0);
            status.putArray("conditions").addObject().put("type", "Complete").put("status", "True")
                    .put("lastProbeTime", time).put("lastTransitionTime", time);
        }
    }

    private static void defaults(ObjectNode node, Map<String, String> values) {
        values.forEach((k, v) -> {
            if (!node.hasNonNull(k)) {
                node.put(k, v);
            }
        });
    }

    private static void defaultInt(ObjectNode node, String field, int value) {
        if (!node.has(field)) {
            node.put(field, value);
        }
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
