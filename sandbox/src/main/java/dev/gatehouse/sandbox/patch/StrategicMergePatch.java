package dev.gatehouse.sandbox.patch;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.Json;

/**
 * Strategic merge patch ({@code application/strategic-merge-patch+json}), what {@code kubectl apply}, {@code edit}
 * and {@code patch} send for built-in kinds. Like a merge patch, except that lists the Kubernetes types mark
 * {@code patchStrategy: merge} are merged element by element on their merge key (containers by name, container
 * ports by containerPort, service ports by port, env by name, ...), and the directives {@code $patch} (replace,
 * delete), {@code $retainKeys}, {@code $deleteFromPrimitiveList/<field>} and {@code $setElementOrder/<field>} are
 * understood. Element order hints are accepted and ignored. The merge keys are keyed by field name, which is
 * unambiguous for the kinds the sandbox serves.
 */
public final class StrategicMergePatch {
    private static final String PRIMITIVE_MERGE = "";
    private static final String PORTS = "ports";
    private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", "name"),
            Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"),
            Map.entry("env", "name"),
            Map.entry("volumes", "name"),
            Map.entry("volumeMounts", "mountPath"),
            Map.entry("volumeDevices", "devicePath"),
            Map.entry("imagePullSecrets", "name"),
            Map.entry("hostAliases", "ip"),
            Map.entry("conditions", "type"),
            Map.entry("ownerReferences", "uid"),
            Map.entry("topologySpreadConstraints", "topologyKey"),
            Map.entry("resourceClaims", "name"),
            Map.entry("secrets", "name"),
            Map.entry(PORTS, PORTS),
            Map.entry("finalizers", PRIMITIVE_MERGE));

    private StrategicMergePatch() {
    }

    /** Applies {@code patch} to a copy of {@code original}. */
    public static ObjectNode apply(ObjectNode original, ObjectNode patch) {
        ObjectNode result = mergeMap(original, patch);
        return result == null ? Json.object() : result;
    }

    private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch) {
        String directive = patch.path("$patch").asText("");
        if (directive.equals("delete")) {
            return null;
        }
        if (directive.equals("replace")) {
            return (ObjectNode) clean(patch);
        }
        ObjectNode result = original == null ? Json.object() : original.deepCopy();
        for (Map.Entry<String, JsonNode> e : Json.fields(patch)) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (key.startsWith("$deleteFromPrimitiveList/")) {
                deleteFromPrimitiveList(result, key.substring("$deleteFromPrimitiveList/".length()), value);
            } else if (key.startsWith("$")) {
                continue; // $patch, $retainKeys, $setElementOrder/...: handled below or ordering only
            } else if (value.isNull()) {
                result.remove(key);
            } else if (value instanceof ObjectNode child) {
                JsonNode existing = result.get(key);
                ObjectNode merged = mergeMap(existing instanceof ObjectNode o ? o : null, child);
                if (merged == null) {
                    result.remove(key);
                } else {
                    result.set(key, merged);
                }
            } else if (value instanceof ArrayNode list) {
                result.set(key, mergeList(key, result.get(key), list));
            } else {
                result.set(key, value.deepCopy());
            }
        }
        JsonNode retain = patch.get("$retainKeys");
        if (retain != null && retain.isArray()) {
            Set<String> keep = new HashSet<>();
            retain.forEach(k -> keep.add(k.asText()));
            result.properties().removeIf(e -> !keep.contains(e.getKey()));
        }
        return result;
    }

    private static JsonNode mergeList(String field, JsonNode original, ArrayNode patch) {
        String mergeKey = MERGE_KEYS.get(field);
        boolean replaceAll = false;
        for (JsonNode element : patch) {
            if (element.path("$patch").asText("").equals("replace")) {
                replaceAll = true;
            }
        }
        if (mergeKey == null || replaceAll || original == null || !original.isArray()) {
            ArrayNode replaced = Json.MAPPER.createArrayNode();
            for (JsonNode element : patch) {
                if (!(element.isObject() && element.has("$patch"))) {
                    replaced.add(clean(element));
                }
            }
            return replaced;
        }
        ArrayNode result = (ArrayNode) original.deepCopy();
        if (mergeKey.equals(PRIMITIVE_MERGE)) {
            for (JsonNode element : patch) {
                if (!contains(result, element)) {
                    result.add(element.deepCopy());
                }
            }
            return result;
        }
        String key = mergeKey.equals(PORTS) ? portKey(result, patch) : mergeKey;
        for (JsonNode element : patch) {
            if (!(element instanceof ObjectNode patchElement)) {
                result.add(element.deepCopy());
                continue;
            }
            int index = indexOf(result, key, patchElement.get(key));
            if (patchElement.path("$patch").asText("").equals("delete")) {
                if (index >= 0) {
                    result.remove(index);
                }
            } else if (index >= 0) {
                result.set(index, mergeMap((ObjectNode) result.get(index), patchElement));
            } else {
                result.add(clean(patchElement));
            }
        }
        return result;
    }

    /** Container ports merge on containerPort, service ports on port. */
    private static String portKey(ArrayNode original, ArrayNode patch) {
        for (ArrayNode list : new ArrayNode[] {original, patch}) {
            for (JsonNode element : list) {
                if (element.has("containerPort")) {
                    return "containerPort";
                }
            }
        }
        return "port";
    }

    private static int indexOf(ArrayNode list, String key, JsonNode value) {
        if (value == null) {
            return -1;
        }
        for (int i = 0; i < list.size(); i++) {
            if (value.equals(list.get(i).get(key))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean contains(ArrayNode list, JsonNode value) {
        for (JsonNode element : list) {
            if (element.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static void deleteFromPrimitiveList(ObjectNode result, String field, JsonNode values) {
        JsonNode list = result.get(field);
        if (list instanceof ArrayNode array && values.isArray()) {
            for (int i = array.size() - 1; i >= 0; i--) {
                if (contains((ArrayNode) values, array.get(i))) {
                    array.remove(i);
                }
            }
        }
    }

    /** A copy without patch directives, for content that is added rather than merged. */
    private static JsonNode clean(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode out = Json.object();
            for (Map.Entry<String, JsonNode> e : Json.fields(object)) {
                if (!e.getKey().startsWith("$") && !e.getValue().isNull()) {
                    out.set(e.getKey(), clean(e.getValue()));
                }
            }
            return out;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            array.forEach(element -> out.add(clean(element)));
            return out;
        }
        return node.deepCopy();
    }
}
