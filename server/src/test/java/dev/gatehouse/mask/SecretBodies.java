package dev.gatehouse.mask;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.vertx.core.buffer.Buffer;

/**
 * Secret bodies as the apiserver serves them (object, list, watch, Table), the masker run over them in chunks, and an
 * independent tree-based oracle of what the masked body must be.
 */
final class SecretBodies {
    static final ObjectMapper JSON = new ObjectMapper();
    static final MaskKey KEY = MaskKey.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    private SecretBodies() {
    }

    /** A Secret with these data values (given decoded; put on the wire base64) and stringData values. */
    static ObjectNode secret(String name, Map<String, String> data, Map<String, String> stringData) {
        ObjectNode secret = JSON.createObjectNode();
        secret.put("kind", "Secret").put("apiVersion", "v1");
        ObjectNode metadata = secret.putObject("metadata");
        metadata.put("name", name).put("namespace", "payments").put("resourceVersion", "4711");
        metadata.putObject("labels").put("app", "billing");
        metadata.putArray("managedFields").addObject().put("manager", "kubectl").put("fieldsType", "FieldsV1")
                .putObject("fieldsV1").putObject("f:data").putObject(".");
        if (data != null) {
            ObjectNode d = secret.putObject("data");
            data.forEach((k, v) -> d.put(k, base64(v)));
        }
        if (stringData != null) {
            ObjectNode s = secret.putObject("stringData");
            stringData.forEach(s::put);
        }
        secret.put("type", "Opaque");
        return secret;
    }

    static ObjectNode withLastApplied(ObjectNode secret) {
        ObjectNode copy = secret.deepCopy();
        String whole = secret.toString();
        ((ObjectNode) copy.get("metadata")).putObject("annotations")
                .put(JsonMasker.LAST_APPLIED, whole + "\n").put("team", "billing");
        return copy;
    }

    static ObjectNode list(List<ObjectNode> secrets) {
        ObjectNode list = JSON.createObjectNode();
        ArrayNode items = list.putArray("items");
        for (ObjectNode secret : secrets) {
            ObjectNode item = secret.deepCopy();
            item.remove("kind");
            item.remove("apiVersion");
            items.add(item);
        }
        list.put("kind", "SecretList").put("apiVersion", "v1");
        list.putObject("metadata").put("resourceVersion", "4712");
        return list;
    }

    static ObjectNode table(List<ObjectNode> secrets, boolean withObjects) {
        ObjectNode table = JSON.createObjectNode();
        table.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", "4712");
        table.putArray("columnDefinitions").addObject().put("name", "Name").put("type", "string");
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode secret : secrets) {
            ObjectNode row = rows.addObject();
            row.putArray("cells").add(secret.get("metadata").get("name").asText()).add("Opaque").add(2).add("5d");
            if (withObjects) {
                row.set("object", secret.deepCopy());
            } else {
                ObjectNode partial = row.putObject("object");
                partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
                partial.set("metadata", secret.get("metadata").deepCopy());
            }
        }
        return table;
    }

    static String watch(List<ObjectNode> secrets) {
        StringBuilder stream = new StringBuilder();
        String[] types = {"ADDED", "MODIFIED", "DELETED"};
        for (int i = 0; i < secrets.size(); i++) {
            ObjectNode event = JSON.createObjectNode().put("type", types[i % types.length]);
            event.set("object", secrets.get(i));
            stream.append(event).append('\n');
        }
        stream.append("{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Secret\",\"apiVersion\":\"v1\",")
                .append("\"metadata\":{\"resourceVersion\":\"4800\"}}}\n");
        return stream.toString();
    }

    static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** The masker over the body, cut into chunks of this size. */
    static byte[] mask(byte[] body, int chunkSize) {
        JsonMasker masker = new JsonMasker(Fingerprints.with(KEY));
        Buffer out = Buffer.buffer();
        for (int i = 0; i < body.length; i += chunkSize) {
            out.appendBuffer(masker.chunk(Buffer.buffer(java.util.Arrays.copyOfRange(body, i,
                    Math.min(body.length, i + chunkSize)))));
        }
        return out.appendBuffer(masker.end()).getBytes();
    }

    /** Every root value of a body (a watch stream has many). */
    static List<JsonNode> roots(byte[] body) {
        List<JsonNode> roots = new ArrayList<>();
        try (MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(body)) {
            values.forEachRemaining(roots::add);
        } catch (java.io.IOException e) {
            throw new AssertionError("not valid JSON: " + e.getMessage(), e);
        }
        return roots;
    }

    /** What the masker must make of a root value: the oracle, written over trees independently of the masker. */
    static JsonNode expected(JsonNode root) {
        JsonNode copy = root.deepCopy();
        maskSecretish(copy);
        return copy;
    }

    private static void maskSecretish(JsonNode node) {
        if (node instanceof ArrayNode array) {
            array.forEach(SecretBodies::maskSecretish);
            return;
        }
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey().toLowerCase(java.util.Locale.ROOT);
            switch (name) {
                case "data" -> field.setValue(maskAll(field.getValue(), true));
                case "stringdata" -> field.setValue(maskAll(field.getValue(), false));
                case "items", "object", "rows" -> maskSecretish(field.getValue());
                case "metadata" -> maskAnnotation(field.getValue());
                default -> { }
            }
        }
    }

    private static void maskAnnotation(JsonNode metadata) {
        JsonNode annotations = metadata.path("annotations");
        if (!(annotations instanceof ObjectNode a) || !a.has(JsonMasker.LAST_APPLIED)) {
            return;
        }
        JsonNode value = a.get(JsonMasker.LAST_APPLIED);
        if (!value.isTextual()) {
            a.set(JsonMasker.LAST_APPLIED, maskAll(value, false));
            return;
        }
        try {
            JsonNode inner = JSON.readTree(value.asText());
            a.put(JsonMasker.LAST_APPLIED, expected(inner).toString());
        } catch (JsonProcessingException notJson) {
            a.put(JsonMasker.LAST_APPLIED, Fingerprints.of(KEY, value.asText().getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static JsonNode maskAll(JsonNode node, boolean base64) {
        if (node.isContainerNode()) {
            JsonNode copy = node.deepCopy();
            if (copy instanceof ObjectNode o) {
                o.fields().forEachRemaining(f -> f.setValue(maskAll(f.getValue(), base64)));
            } else {
                ArrayNode a = (ArrayNode) copy;
                for (int i = 0; i < a.size(); i++) {
                    a.set(i, maskAll(a.get(i), base64));
                }
            }
            return copy;
        }
        if (node.isNull()) {
            return node;
        }
        String text = node.asText();
        if (!base64) {
            return TextNode.valueOf(Fingerprints.of(KEY, text.getBytes(StandardCharsets.UTF_8)));
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            decoded = text.getBytes(StandardCharsets.UTF_8);
        }
        return TextNode.valueOf(Fingerprints.with(KEY).dataMarker(decoded));
    }
}
