package dev.gatehouse.sandbox.cluster;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.Json;
import dev.gatehouse.sandbox.resource.ResourceCatalog;
import dev.gatehouse.sandbox.resource.ResourceType;
import dev.gatehouse.sandbox.store.ObjectStore;
import dev.gatehouse.sandbox.store.Selector;
import dev.gatehouse.sandbox.store.WatchEvent;

/**
 * The few controllers that make the sandbox behave like a cluster, reacting to changes after they are stored (on
 * the given executor, one change at a time): a deployment gets a replica set named after its template hash and
 * older ones are scaled to zero; a replica set gets as many pods as it wants, also when one is deleted; a new
 * namespace gets its {@code default} service account and {@code kube-root-ca.crt} config map.
 */
public final class Controllers {
    private static final String SUFFIX = "bcdfghjklmnpqrstvwxz2456789";

    private final ObjectStore store;
    private final Clock clock;
    private final Executor executor;
    private final EventWriter events;
    private final ResourceType namespaces;
    private final ResourceType deployments;
    private final ResourceType replicaSets;
    private final ResourceType pods;
    private final ResourceType serviceAccounts;
    private final ResourceType configMaps;
    private final Random random = new Random();
    private final List<ObjectStore.Subscription> subscriptions = new ArrayList<>();

    public Controllers(ObjectStore store, ResourceCatalog catalog, Clock clock, Executor executor) {
        this.store = store;
        this.clock = clock;
        this.executor = executor;
        this.namespaces = type(catalog, "", "namespaces");
        this.deployments = type(catalog, "apps", "deployments");
        this.replicaSets = type(catalog, "apps", "replicasets");
        this.pods = type(catalog, "", "pods");
        this.serviceAccounts = type(catalog, "", "serviceaccounts");
        this.configMaps = type(catalog, "", "configmaps");
        this.events = new EventWriter(store, type(catalog, "", "events"));
    }

    private static ResourceType type(ResourceCatalog catalog, String group, String plural) {
        return catalog.find(group, "v1", plural).orElseThrow();
    }

    /** Starts reacting to changes made from now on. */
    public void start() {
        String now = Long.toString(store.resourceVersion());
        subscriptions.add(store.watch(namespaces, null, Selector.everything(), now, e -> later(e, this::namespace)));
        subscriptions.add(store.watch(deployments, null, Selector.everything(), now, e -> later(e, this::deployment)));
        subscriptions.add(store.watch(replicaSets, null, Selector.everything(), now, e -> later(e, this::replicaSet)));
        subscriptions.add(store.watch(pods, null, Selector.everything(), now, e -> later(e, this::pod)));
    }

    public void stop() {
        subscriptions.forEach(ObjectStore.Subscription::cancel);
    }

    private void later(WatchEvent event, java.util.function.Consumer<WatchEvent> reaction) {
        executor.execute(() -> {
            try {
                reaction.accept(event);
            } catch (ApiException e) {
                // the world moved on (object deleted, namespace gone): the next change brings us back
            }
        });
    }

    private void namespace(WatchEvent event) {
        if (!event.type().equals(WatchEvent.ADDED)) {
            return;
        }
        String ns = event.object().path("metadata").path("name").asText();
        createIfMissing(serviceAccounts, ns, Json.object().put("kind", "ServiceAccount"), "default");
        ObjectNode rootCa = Json.object().put("kind", "ConfigMap");
        rootCa.putObject("data").put("ca.crt", "-----BEGIN CERTIFICATE-----\n(the sandbox's cluster CA)\n"
                + "-----END CERTIFICATE-----\n");
        createIfMissing(configMaps, ns, rootCa, "kube-root-ca.crt");
    }

    private void createIfMissing(ResourceType type, String ns, ObjectNode object, String name) {
        if (store.get(type, ns, name).isEmpty()) {
            Json.child(object, "metadata").put("name", name);
            store.create(type, ns, object);
        }
    }

    private void deployment(WatchEvent event) {
        if (event.type().equals(WatchEvent.DELETED)) {
            return;
        }
        ObjectNode deployment = event.object();
        String ns = event.namespace();
        String name = deployment.path("metadata").path("name").asText();
        ObjectNode current = store.get(deployments, ns, name).orElse(null);
        if (current == null || !current.path("metadata").path("uid").equals(deployment.path("metadata").path("uid"))) {
            return;
        }
        JsonNode template = current.path("spec").path("template");
        String hash = SimulatedCluster.templateHash(template);
        String rsName = name + "-" + hash;
        int replicas = current.path("spec").path("replicas").asInt(1);
        for (ObjectNode rs : owned(replicaSets, ns, current)) {
            String existing = rs.path("metadata").path("name").asText();
            int had = rs.path("spec").path("replicas").asInt();
            if (!existing.equals(rsName) && had > 0) {
                scale(rs, 0);
                events.normal(current, "ScalingReplicaSet", "Scaled down replica set " + existing + " from " + had
                        + " to 0", "deployment-controller", now(), null);
            }
        }
        ObjectNode rs = store.get(replicaSets, ns, rsName).orElse(null);
        if (rs == null) {
            store.create(replicaSets, ns, newReplicaSet(current, rsName, hash, replicas));
            events.normal(current, "ScalingReplicaSet", "Scaled up replica set " + rsName + " from 0 to " + replicas,
                    "deployment-controller", now(), null);
        } else if (rs.path("spec").path("replicas").asInt() != replicas) {
            int had = rs.path("spec").path("replicas").asInt();
            scale(rs, replicas);
            events.normal(current, "ScalingReplicaSet", "Scaled " + (replicas > had ? "up" : "down")
                    + " replica set " + rsName + " from " + had + " to " + replicas, "deployment-controller", now(),
                    null);
        }
    }

    private ObjectNode newReplicaSet(ObjectNode deployment, String name, String hash, int replicas) {
        ObjectNode template = deployment.path("spec").path("template").deepCopy();
        Json.child(Json.child(template, "metadata"), "labels").put("pod-template-hash", hash);
        ObjectNode rs = Json.object().put("kind", "ReplicaSet");
        ObjectNode meta = rs.putObject("metadata").put("name", name);
        meta.set("labels", template.path("metadata").path("labels").deepCopy());
        meta.putObject("annotations").put("deployment.kubernetes.io/desired-replicas", Integer.toString(replicas))
                .put("deployment.kubernetes.io/revision", deployment.path("metadata").path("annotations")
                        .path("deployment.kubernetes.io/revision").asText("1"));
        ownedBy(meta, deployment);
        ObjectNode spec = rs.putObject("spec").put("replicas", replicas);
        ObjectNode selector = spec.putObject("selector");
        selector.set("matchLabels", template.path("metadata").path("labels").deepCopy());
        spec.set("template", template);
        return rs;
    }

    private void scale(ObjectNode workload, int replicas) {
        JsonNode meta = workload.path("metadata");
        store.modify(replicaSets, meta.path("namespace").asText(), meta.path("name").asText(), obj -> {
            Json.child(obj, "spec").put("replicas", replicas);
            return obj;
        }, false);
    }

    private void replicaSet(WatchEvent event) {
        if (event.type().equals(WatchEvent.DELETED)) {
            return;
        }
        String ns = event.namespace();
        String name = event.object().path("metadata").path("name").asText();
        store.get(replicaSets, ns, name).ifPresent(this::reconcile);
    }

    private void pod(WatchEvent event) {
        if (!event.type().equals(WatchEvent.DELETED)) {
            return;
        }
        for (JsonNode owner : event.object().path("metadata").path("ownerReferences")) {
            if (owner.path("kind").asText().equals("ReplicaSet")) {
                store.get(replicaSets, event.namespace(), owner.path("name").asText())
                        .filter(rs -> rs.path("metadata").path("uid").asText().equals(owner.path("uid").asText()))
                        .ifPresent(this::reconcile);
            }
        }
    }

    private void reconcile(ObjectNode rs) {
        String ns = rs.path("metadata").path("namespace").asText();
        String name = rs.path("metadata").path("name").asText();
        int wanted = rs.path("spec").path("replicas").asInt(1);
        List<ObjectNode> have = owned(pods, ns, rs);
        for (int i = have.size(); i < wanted; i++) {
            ObjectNode pod = newPod(rs, name + "-" + suffix());
            ObjectNode created = store.create(pods, ns, pod);
            events.normal(rs, "SuccessfulCreate", "Created pod: " + created.path("metadata").path("name").asText(),
                    "replicaset-controller", now(), null);
            podEvents(created);
        }
        for (int i = have.size() - 1; i >= wanted; i--) {
            String pod = have.get(i).path("metadata").path("name").asText();
            store.delete(pods, ns, pod);
            events.normal(rs, "SuccessfulDelete", "Deleted pod: " + pod, "replicaset-controller", now(), null);
        }
    }

    private void podEvents(ObjectNode pod) {
        String ns = pod.path("metadata").path("namespace").asText();
        String name = pod.path("metadata").path("name").asText();
        events.normal(pod, "Scheduled", "Successfully assigned " + ns + "/" + name + " to " + SimulatedCluster.NODE,
                "default-scheduler", now(), null);
        for (JsonNode c : pod.path("spec").path("containers")) {
            String container = c.path("name").asText();
            String field = "spec.containers{" + container + "}";
            events.normal(pod, "Pulled", "Container image \"" + c.path("image").asText()
                    + "\" already present on machine", "kubelet", now(), field);
            events.normal(pod, "Created", "Created container: " + container, "kubelet", now(), field);
            events.normal(pod, "Started", "Started container " + container, "kubelet", now(), field);
        }
    }

    private ObjectNode newPod(ObjectNode rs, String name) {
        JsonNode template = rs.path("spec").path("template");
        ObjectNode pod = Json.object().put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata").put("name", name);
        if (template.path("metadata").has("labels")) {
            meta.set("labels", template.path("metadata").path("labels").deepCopy());
        }
        if (template.path("metadata").has("annotations")) {
            meta.set("annotations", template.path("metadata").path("annotations").deepCopy());
        }
        ownedBy(meta, rs);
        pod.set("spec", template.path("spec").deepCopy());
        return pod;
    }

    private List<ObjectNode> owned(ResourceType type, String ns, ObjectNode owner) {
        String uid = owner.path("metadata").path("uid").asText();
        return store.list(type, ns, o -> {
            for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
                if (ref.path("uid").asText().equals(uid)) {
                    return true;
                }
            }
            return false;
        });
    }

    private static void ownedBy(ObjectNode meta, ObjectNode owner) {
        meta.putArray("ownerReferences").addObject().put("apiVersion", owner.path("apiVersion").asText())
                .put("kind", owner.path("kind").asText()).put("name", owner.path("metadata").path("name").asText())
                .put("uid", owner.path("metadata").path("uid").asText()).put("controller", true)
                .put("blockOwnerDeletion", true);
    }

    private String suffix() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            s.append(SUFFIX.charAt(random.nextInt(SUFFIX.length())));
        }
        return s.toString();
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
    }
}
