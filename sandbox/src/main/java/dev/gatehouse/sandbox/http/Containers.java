package dev.gatehouse.sandbox.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.ApiException;

/** Picks the container a logs or exec request is about, with the apiserver's errors when it cannot. */
final class Containers {
    private Containers() {
    }

    /** The requested container, or the only one; a 400 Status when it is missing or ambiguous. */
    static String resolve(ObjectNode pod, String requested) {
        List<String> names = new ArrayList<>();
        List<String> regular = new ArrayList<>();
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : pod.path("spec").path(list)) {
                names.add(c.path("name").asText());
                if (list.equals("containers")) {
                    regular.add(c.path("name").asText());
                }
            }
        }
        String podName = pod.path("metadata").path("name").asText();
        if (requested == null || requested.isEmpty()) {
            if (regular.size() == 1) {
                return regular.get(0);
            }
            throw ApiException.badRequest("a container name must be specified for pod " + podName
                    + ", choose one of: " + regular);
        }
        if (!names.contains(requested)) {
            throw ApiException.badRequest("container " + requested + " is not valid for pod " + podName);
        }
        return requested;
    }

    /** The literal environment variables of a container. */
    static Map<String, String> env(ObjectNode pod, String container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode c : pod.path("spec").path("containers")) {
            if (c.path("name").asText().equals(container)) {
                for (JsonNode e : c.path("env")) {
                    if (e.has("value")) {
                        env.put(e.path("name").asText(), e.path("value").asText());
                    }
                }
            }
        }
        return env;
    }
}
