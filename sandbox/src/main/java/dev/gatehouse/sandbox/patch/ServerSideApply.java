package dev.gatehouse.sandbox.patch;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.Json;

/**
 * Server-side apply ({@code application/apply-patch+yaml}), simplified: the applied configuration creates the
 * object when it is missing and is otherwise merged into it with strategic-merge semantics; the field manager's
 * {@code Apply} entry in {@code managedFields} is replaced with the fields it applied. Unlike the apiserver, fields a
 * manager stops applying are not removed and conflicts between managers are not detected.
 */
public final class ServerSideApply {
    private ServerSideApply() {
    }

    /**
     * @param existing the stored object, or {@code null} to create
     * @param applied  the applied configuration
     * @param manager  the {@code fieldManager} query parameter
     * @param time     RFC 3339 time of the apply
     */
    public static ObjectNode apply(ObjectNode existing, ObjectNode applied, String manager, String time) {
        ObjectNode result = existing == null ? applied.deepCopy() : StrategicMergePatch.apply(existing, applied);
        ObjectNode meta = Json.child(result, "metadata");
        ArrayNode previous = meta.get("managedFields") instanceof ArrayNode a ? a : Json.MAPPER.createArrayNode();
        ArrayNode managed = meta.putArray("managedFields");
        for (JsonNode entry : previous) {
            boolean same = entry.path("manager").asText().equals(manager)
                    && entry.path("operation").asText().equals("Apply");
            if (!same) {
                managed.add(entry);
            }
        }
        ObjectNode entry = managed.addObject();
        entry.put("manager", manager).put("operation", "Apply")
                .put("apiVersion", applied.path("apiVersion").asText(result.path("apiVersion").asText()))
                .put("time", time).put("fieldsType", "FieldsV1");
        entry.set("fieldsV1", fieldsOf(applied, true));
        return result;
    }

    /** The FieldsV1 set of an applied configuration ({@code f:data: {.: {}, f:key: {}}}). */
    static ObjectNode fieldsOf(JsonNode applied, boolean top) {
        ObjectNode fields = Json.object();
        if (!top && applied.isObject() && !applied.isEmpty()) {
            fields.putObject(".");
        }
        for (Map.Entry<String, JsonNode> e : Json.fields(applied)) {
            String key = e.getKey();
            if (top && (key.equals("apiVersion") || key.equals("kind"))) {
                continue;
            }
            if (top && key.equals("metadata")) {
                ObjectNode meta = Json.object();
                for (Map.Entry<String, JsonNode> m : Json.fields(e.getValue())) {
                    if (!m.getKey().equals("name") && !m.getKey().equals("namespace")) {
                        meta.set("f:" + m.getKey(), fieldsOf(m.getValue(), false));
                    }
                }
                if (!meta.isEmpty()) {
                    fields.set("f:metadata", meta);
                }
                continue;
            }
            JsonNode value = e.getValue();
            fields.set("f:" + key, value.isObject() ? fieldsOf(value, false) : listFields(value));
        }
        return fields;
    }

    private static ObjectNode listFields(JsonNode value) {
        ObjectNode fields = Json.object();
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (element.isObject() && element.has("name")) {
                    ObjectNode item = fieldsOf(element, false);
                    fields.set("k:{\"name\":" + element.get("name").toString() + "}", item);
                }
            }
        }
        return fields;
    }
}
