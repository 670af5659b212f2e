package dev.gatehouse.sandbox.cluster;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.Json;
import dev.gatehouse.sandbox.resource.ResourceType;
import dev.gatehouse.sandbox.store.ObjectStore;

/** Writes core/v1 Events about objects, as controllers and the kubelet do, so that describe shows a history. */
public final class EventWriter {
    private final ObjectStore store;
    private final ResourceType events;

    public EventWriter(ObjectStore store, ResourceType events) {
        this.store = store;
        this.events = events;
    }

    /**
     * Records a Normal event.
     *
     * @param about     the object, as stored (kind, apiVersion, metadata with uid)
     * @param fieldPath e.g. {@code spec.containers{web}}, or null
     */
    public void normal(ObjectNode about, String reason, String message, String component, Instant time,
                       String fieldPath) {
        ObjectNode meta = (ObjectNode) about.path("metadata");
        String ns = meta.path("namespace").asText("default");
        String aboutName = meta.path("name").asText();
        String name = aboutName + "." + "%016x".formatted((aboutName + reason + message + time).hashCode()
                * 0x9E3779B97F4A7C15L);
        ObjectNode event = Json.object().put("kind", "Event");
        event.putObject("metadata").put("name", name).put("namespace", ns).put("creationTimestamp", time.toString());
        ObjectNode involved = event.putObject("involvedObject").put("kind", about.path("kind").asText())
                .put("namespace", ns).put("name", aboutName).put("uid", meta.path("uid").asText())
                .put("apiVersion", about.path("apiVersion").asText())
                .put("resourceVersion", meta.path("resourceVersion").asText());
        if (fieldPath != null) {
            involved.put("fieldPath", fieldPath);
        }
        boolean kubelet = component.equals("kubelet");
        event.put("reason", reason).put("message", message).put("type", "Normal").put("count", 1)
                .put("firstTimestamp", time.toString()).put("lastTimestamp", time.toString())
                .put("reportingComponent", component)
                .put("reportingInstance", kubelet ? SimulatedCluster.NODE : "");
        ObjectNode source = event.putObject("source").put("component", component);
        if (kubelet) {
            source.put("host", SimulatedCluster.NODE);
        }
        try {
            store.create(events, ns, event, true);
        } catch (ApiException e) {
            // the namespace is going away, or the same event was already recorded: nothing to add
        }
    }
}
