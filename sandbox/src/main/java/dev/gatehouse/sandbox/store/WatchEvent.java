package dev.gatehouse.sandbox.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.ResourceType;

/**
 * A change to one object, as a watch delivers it.
 *
 * @param type            {@code ADDED}, {@code MODIFIED} or {@code DELETED}
 * @param resource        the resource type of the object
 * @param resourceVersion the store's resource version after the change
 * @param object          the object after the change (for DELETED: its last state, with the new resource version)
 */
public record WatchEvent(String type, ResourceType resource, long resourceVersion, ObjectNode object) {
    public static final String ADDED = "ADDED";
    public static final String MODIFIED = "MODIFIED";
    public static final String DELETED = "DELETED";

    /** The namespace of the object, {@code ""} when cluster-scoped. */
    public String namespace() {
        return object.path("metadata").path("namespace").asText("");
    }
}
