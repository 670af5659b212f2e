package dev.gatehouse.sandbox.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.ResourceType;

/**
 * Mutates an object just before the store writes it, as the apiserver's defaulting and mutating admission (and,
 * in the sandbox, the simulated controllers and kubelet) would: fill a pod's status, a service's cluster IP.
 */
@FunctionalInterface
public interface Admission {
    /** Changes nothing. */
    Admission NONE = (type, object, previous) -> { };

    /**
     * @param type     the resource type being written
     * @param object   the object about to be stored, to change in place
     * @param previous the stored object it replaces, or {@code null} on create
     */
    void admit(ResourceType type, ObjectNode object, ObjectNode previous);
}
