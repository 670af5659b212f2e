package dev.gatehouse.mask;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Masks the Secrets in a request body held as a tree, each with {@link JsonMasker} (the tree written out, masked,
 * read back): the whole body when its path is masked, and every object at any depth whose {@code kind} is
 * {@code Secret} in any casing (a Secret in a {@code List}, in a custom resource), also inside a
 * {@code kubectl.kubernetes.io/last-applied-configuration} annotation of another object. An object is masked once:
 * the places {@link JsonMasker} already covers below a Secret ({@code items}, {@code object}, {@code rows}) are not
 * masked again, so a value's fingerprint is the one a response shows.
 */
final class SecretWalk {
    private SecretWalk() {
    }

    /** The body with its Secrets masked; {@code secret}: the body is a Secret (or a list of them) by its path. */
    static JsonNode mask(JsonNode body, boolean secret, Fingerprints fingerprints) throws IOException {
        if (!secret) {
            return walk(body, false, fingerprints);
        }
        return walk(maskSecret(body, fingerprints), true, fingerprints);
    }

    /** A value of the Secret shape, masked: objects and arrays by {@link JsonMasker}, scalars as a marker. */
    static JsonNode maskSecret(JsonNode value, Fingerprints fingerprints) throws IOException {
        if (!value.isContainerNode()) {
            return maskAll(value, fingerprints);
        }
        byte[] masked = JsonMasker.maskWhole(RequestBodies.JSON.writeValueAsBytes(value), fingerprints);
        return RequestBodies.JSON.readTree(masked);
    }

    /** Every scalar (but null) below {@code value} as a plain marker: for values whose place is not known. */
    static JsonNode maskAll(JsonNode value, Fingerprints fingerprints) {
        if (value.isObject()) {
            ObjectNode object = (ObjectNode) value;
            for (Map.Entry<String, JsonNode> field : new ArrayList<>(object.properties())) {
                object.set(field.getKey(), maskAll(field.getValue(), fingerprints));
            }
            return object;
        }
        if (value.isArray()) {
            ArrayNode array = (ArrayNode) value;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, maskAll(array.get(i), fingerprints));
            }
            return array;
        }
        if (value.isNull() || value.isMissingNode()) {
            return value;
        }
        byte[] text = value.isBinary() ? binary(value) : value.asText().getBytes(StandardCharsets.UTF_8);
        return TextNode.valueOf(fingerprints.marker(text));
    }

    /**
     * Masks, in place, every Secret below {@code node} that {@link JsonMasker} has not already masked; returns the
     * node (replaced when it is itself such a Secret). {@code covered}: the node is at a place of an already masked
     * Secret shape that the masker covers.
     */
    static JsonNode walk(JsonNode node, boolean covered, Fingerprints fingerprints) throws IOException {
        if (node.isObject()) {
            JsonNode current = node;
            boolean inShape = covered;
            if (!covered && isSecret(node)) {
                current = maskSecret(node, fingerprints);
                inShape = true;
            } else if (!covered) {
                lastApplied((ObjectNode) node, fingerprints);
            }
            ObjectNode object = (ObjectNode) current;
            for (Map.Entry<String, JsonNode> field : new ArrayList<>(object.properties())) {
                boolean childCovered = inShape && coveredField(field.getKey());
                object.set(field.getKey(), walk(field.getValue(), childCovered, fingerprints));
            }
            return object;
        }
        if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, walk(array.get(i), covered, fingerprints));
            }
            return array;
        }
        return node;
    }

    /** True when the tree holds an object whose kind is Secret. */
    static boolean holdsSecret(JsonNode node) {
        if (node.isObject() && isSecret(node)) {
            return true;
        }
        for (JsonNode child : node) {
            if (holdsSecret(child)) {
                return true;
            }
        }
        return false;
    }

    /** An object whose {@code kind} (the field name in any casing, as Go's decoder matches it) is Secret. */
    static boolean isSecret(JsonNode object) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (field.getKey().equalsIgnoreCase("kind") && field.getValue().isTextual()
                    && field.getValue().asText().strip().equalsIgnoreCase("secret")) {
                return true;
            }
        }
        return false;
    }

    private static boolean coveredField(String name) {
        return name.equalsIgnoreCase("items") || name.equalsIgnoreCase("object") || name.equalsIgnoreCase("rows");
    }

    /** A last-applied annotation of an object that is not a Secret, holding JSON with a Secret in it: masked. */
    private static void lastApplied(ObjectNode object, Fingerprints fingerprints) throws IOException {
        for (JsonNode annotations : fields(fields(List.of(object), "metadata"), "annotations")) {
            if (!(annotations instanceof ObjectNode map)) {
                continue;
            }
            for (Map.Entry<String, JsonNode> annotation : new ArrayList<>(map.properties())) {
                if (!annotation.getKey().equals(JsonMasker.LAST_APPLIED) || !annotation.getValue().isTextual()) {
                    continue;
                }
                JsonNode inner;
                try {
                    inner = RequestBodies.JSON.readTree(annotation.getValue().asText());
                } catch (IOException notJson) {
                    continue;
                }
                if (inner != null && holdsSecret(inner)) {
                    JsonNode masked = walk(inner, false, fingerprints);
                    map.put(annotation.getKey(), RequestBodies.JSON.writeValueAsString(masked));
                }
            }
        }
    }

    private static List<JsonNode> fields(List<JsonNode> objects, String name) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode object : objects) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (field.getKey().equalsIgnoreCase(name)) {
                    found.add(field.getValue());
                }
            }
        }
        return found;
    }

    private static byte[] binary(JsonNode value) {
        try {
            return value.binaryValue();
        } catch (IOException e) {
            return value.asText().getBytes(StandardCharsets.UTF_8);
        }
    }
}
