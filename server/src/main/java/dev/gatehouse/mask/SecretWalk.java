package dev.gatehouse.mask;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Masks the Secrets in a request body held as a tree, each with {@link JsonMasker} (the tree written out, masked,
 * read back): the whole body when its path is masked, and every object at any depth whose {@code kind} is
 * {@code Secret} in any casing (a Secret in a {@code List}, in a custom resource), also inside any string holding JSON
 * (the {@code kubectl.kubernetes.io/last-applied-configuration} annotation of another object, any other annotation or
 * value). An object is masked once:
 * the places {@link JsonMasker} already covers below a Secret ({@code items}, {@code object}, {@code rows}) are not
 * masked again, so a value's fingerprint is the one a response shows. Fail closed: every scalar of a field a Secret
 * does not have ({@code "string data"}, {@code spec}) becomes a plain marker.
 */
final class SecretWalk {
    /** Where a value is relative to a masked Secret shape: nowhere special, its metadata, its annotations. */
    private static final int NONE = 0;
    private static final int METADATA = 1;
    private static final int ANNOTATIONS = 2;
    /** The fields of a Secret (and of a list, watch event or Table of them), lower case; the values of any other are
     * masked whole. */
    private static final java.util.Set<String> KNOWN = java.util.Set.of("kind", "apiversion", "metadata", "type",
            "immutable", "data", "stringdata", "items", "object", "rows");

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
     * node (replaced when it is itself such a Secret, or a string holding one). {@code covered}: the node is at a
     * place of an already masked Secret shape that the masker covers.
     */
    static JsonNode walk(JsonNode node, boolean covered, Fingerprints fingerprints) throws IOException {
        return walk(node, covered, NONE, fingerprints);
    }

    private static JsonNode walk(JsonNode node, boolean covered, int place, Fingerprints fingerprints)
            throws IOException {
        if (node.isObject()) {
            JsonNode current = node;
            boolean inShape = covered;
            if (!covered && isSecret(node)) {
                current = maskSecret(node, fingerprints);
                inShape = true;
            }
            ObjectNode object = (ObjectNode) current;
            for (Map.Entry<String, JsonNode> field : new ArrayList<>(object.properties())) {
                String name = field.getKey();
                if (place == ANNOTATIONS && name.equals(JsonMasker.LAST_APPLIED)) {
                    // the masker masked data and stringData inside, as JSON, with the Secret; what else the applied
                    // copy holds under a name a Secret does not have is masked here (fail closed)
                    object.set(name, lastAppliedUnknownFields(field.getValue(), fingerprints));
                    continue;
                }
                if (inShape && !KNOWN.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    // fail closed: a field a Secret does not have (a misspelt stringData) may hold a value
                    object.set(name, maskAll(field.getValue(), fingerprints));
                    continue;
                }
                int childPlace = inShape && name.equalsIgnoreCase("metadata") ? METADATA
                        : place == METADATA && name.equalsIgnoreCase("annotations") ? ANNOTATIONS : NONE;
                boolean childCovered = inShape && coveredField(name);
                object.set(name, walk(field.getValue(), childCovered, childPlace, fingerprints));
            }
            return object;
        }
        if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, walk(array.get(i), covered, NONE, fingerprints));
            }
            return array;
        }
        if (node.isTextual()) {
            return embedded(node, fingerprints);
        }
        return node;
    }

    /**
     * A string holding JSON with a Secret in it (a last-applied annotation of another object, any other annotation
     * or value): the JSON with the Secret masked, as a string; any other string as it is.
     */
    private static JsonNode embedded(JsonNode text, Fingerprints fingerprints) throws IOException {
        String value = text.asText();
        String trimmed = value.stripLeading();
        if (trimmed.isEmpty() || (trimmed.charAt(0) != '{' && trimmed.charAt(0) != '[')) {
            return text;
        }
        JsonNode inner;
        try {
            inner = RequestBodies.JSON.readTree(value);
        } catch (IOException notJson) {
            return text;
        }
        if (inner == null || !holdsSecret(inner)) {
            return text;
        }
        return TextNode.valueOf(RequestBodies.JSON.writeValueAsString(walk(inner, false, fingerprints)));
    }

    /**
     * The last-applied copy of a Secret with every field a Secret does not have masked whole; the string unchanged
     * when there is none (so its markers stay the ones a response shows).
     */
    private static JsonNode lastAppliedUnknownFields(JsonNode text, Fingerprints fingerprints) throws IOException {
        if (!text.isTextual()) {
            return maskAll(text, fingerprints);
        }
        JsonNode inner;
        try {
            inner = RequestBodies.JSON.readTree(text.asText());
        } catch (IOException notJson) {
            return TextNode.valueOf(fingerprints.marker(text.asText().getBytes(StandardCharsets.UTF_8)));
        }
        if (!(inner instanceof ObjectNode object)) {
            return inner == null ? text : TextNode.valueOf(fingerprints.marker(
                    text.asText().getBytes(StandardCharsets.UTF_8)));
        }
        boolean changed = false;
        for (Map.Entry<String, JsonNode> field : new ArrayList<>(object.properties())) {
            if (!KNOWN.contains(field.getKey().toLowerCase(java.util.Locale.ROOT))) {
                object.set(field.getKey(), maskAll(field.getValue(), fingerprints));
                changed = true;
            }
        }
        return changed ? TextNode.valueOf(RequestBodies.JSON.writeValueAsString(object)) : text;
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

    private static byte[] binary(JsonNode value) {
        try {
            return value.binaryValue();
        } catch (IOException e) {
            return value.asText().getBytes(StandardCharsets.UTF_8);
        }
    }
}
