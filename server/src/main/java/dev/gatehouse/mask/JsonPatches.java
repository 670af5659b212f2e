package dev.gatehouse.mask;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Masks a JSON patch ({@code application/json-patch+json}) of a Secret: the {@code value} of each operation is put
 * back in its place in a Secret ({@code /data/key} → {@code {"data":{"key":…}}}), masked there by {@link JsonMasker}
 * and taken out again, so a value gets the marker it gets in the object (base64 under {@code data}); a whole object
 * ({@code path ""}) is masked as a Secret; a last-applied annotation as the annotation. Fail closed: every scalar of a
 * value whose place is not a known harmless field ({@code metadata}, {@code kind}, {@code apiVersion},
 * {@code type}, {@code immutable}) — and of any field of an operation other than {@code op}, {@code path},
 * {@code from}, and of an operation that is not an object or has no readable path — becomes a marker.
 */
final class JsonPatches {
    private static final Set<String> SHAPED = Set.of("data", "stringdata", "metadata");
    private static final Set<String> HARMLESS = Set.of("kind", "apiversion", "type", "immutable");
    private static final Set<String> OPERATION = Set.of("op", "path", "from");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonPatches() {
    }

    static JsonNode mask(JsonNode patch, Fingerprints fingerprints) throws IOException {
        ArrayNode operations = (ArrayNode) patch;
        for (int i = 0; i < operations.size(); i++) {
            JsonNode operation = operations.get(i);
            if (!(operation instanceof ObjectNode op)) {
                operations.set(i, SecretWalk.maskAll(operation, fingerprints));
                continue;
            }
            List<String> path = op.path("path").isTextual() ? pointer(op.path("path").asText()) : null;
            for (Map.Entry<String, JsonNode> field : new ArrayList<>(op.properties())) {
                if (!OPERATION.contains(field.getKey())) {
                    op.set(field.getKey(), maskValue(path, field.getValue(), fingerprints));
                }
            }
        }
        return operations;
    }

    /** A value to be placed at {@code path} in a Secret (null: unknown place), masked as it would be there. */
    private static JsonNode maskValue(List<String> path, JsonNode value, Fingerprints fingerprints)
            throws IOException {
        if (path == null) {
            return SecretWalk.maskAll(value, fingerprints);
        }
        if (path.isEmpty()) {
            return SecretWalk.mask(value, true, fingerprints);
        }
        String top = path.get(0).toLowerCase(Locale.ROOT);
        if (HARMLESS.contains(top)) {
            return SecretWalk.walk(value, false, fingerprints);
        }
        if (!SHAPED.contains(top)) {
            return SecretWalk.maskAll(value, fingerprints);
        }
        JsonNode wrapped = value;
        for (int i = path.size() - 1; i >= 0; i--) {
            ObjectNode parent = NODES.objectNode();
            parent.set(path.get(i), wrapped);
            wrapped = parent;
        }
        JsonNode masked = SecretWalk.mask(wrapped, true, fingerprints);
        for (String segment : path) {
            masked = masked.get(segment);
            if (masked == null) {
                return SecretWalk.maskAll(value, fingerprints);
            }
        }
        return masked;
    }

    /** The segments of a JSON pointer (RFC 6901); null when it is not one. */
    static List<String> pointer(String pointer) {
        if (pointer.isEmpty()) {
            return List.of();
        }
        if (pointer.charAt(0) != '/') {
            return null;
        }
        List<String> segments = new ArrayList<>();
        for (String raw : pointer.substring(1).split("/", -1)) {
            if (raw.matches(".*~([^01]|$).*")) {
                return null;
            }
            segments.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return segments;
    }
}
