package dev.gatehouse.sandbox.patch;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.ApiException;

/** JSON patch (RFC 6902, {@code application/json-patch+json}): add, remove, replace, move, copy and test. */
public final class JsonPatch {
    private JsonPatch() {
    }

    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isArray()) {
            throw ApiException.badRequest("a JSON patch must be an array of operations");
        }
        JsonNode doc = target.deepCopy();
        for (JsonNode op : patch) {
            doc = applyOne(doc, op);
        }
        return doc;
    }

    private static JsonNode applyOne(JsonNode doc, JsonNode op) {
        String kind = op.path("op").asText("");
        String path = required(op, "path");
        return switch (kind) {
            case "add" -> add(doc, path, value(op));
            case "remove" -> remove(doc, path);
            case "replace" -> {
                get(doc, path);
                yield add(remove(doc, path), path, value(op));
            }
            case "move" -> {
                String from = required(op, "from");
                JsonNode moved = get(doc, from);
                yield add(remove(doc, from), path, moved);
            }
            case "copy" -> add(doc, path, get(doc, required(op, "from")).deepCopy());
            case "test" -> {
                if (!get(doc, path).equals(value(op))) {
                    throw new ApiException(422, "Invalid", "the test operation failed at " + path, null, null, null);
                }
                yield doc;
            }
            default -> throw ApiException.badRequest("unknown JSON patch operation: \"" + kind + "\"");
        };
    }

    private static JsonNode value(JsonNode op) {
        if (!op.has("value")) {
            throw ApiException.badRequest("JSON patch operation " + op + " has no value");
        }
        return op.get("value");
    }

    private static String required(JsonNode op, String field) {
        if (!op.hasNonNull(field)) {
            throw ApiException.badRequest("JSON patch operation " + op + " has no " + field);
        }
        return op.get(field).asText();
    }

    private static List<String> tokens(String pointer) {
        if (pointer.isEmpty()) {
            return List.of();
        }
        if (!pointer.startsWith("/")) {
            throw ApiException.badRequest("invalid JSON pointer: " + pointer);
        }
        List<String> out = new ArrayList<>();
        for (String t : pointer.substring(1).split("/", -1)) {
            out.add(t.replace("~1", "/").replace("~0", "~"));
        }
        return out;
    }

    private static JsonNode get(JsonNode doc, String pointer) {
        JsonNode current = doc;
        for (String token : tokens(pointer)) {
            current = current.isArray() ? current.get(index(current, token, false)) : current.get(token);
            if (current == null) {
                throw new ApiException(422, "Invalid", "the JSON patch path " + pointer + " does not exist", null,
                        null, null);
            }
        }
        return current;
    }

    private static JsonNode add(JsonNode doc, String pointer, JsonNode value) {
        List<String> tokens = tokens(pointer);
        if (tokens.isEmpty()) {
            return value.deepCopy();
        }
        JsonNode parent = get(doc, parentOf(pointer));
        String last = tokens.get(tokens.size() - 1);
        if (parent instanceof ArrayNode array) {
            if (last.equals("-")) {
                array.add(value.deepCopy());
            } else {
                array.insert(index(array, last, true), value.deepCopy());
            }
        } else if (parent instanceof ObjectNode object) {
            object.set(last, value.deepCopy());
        } else {
            throw new ApiException(422, "Invalid", "cannot add at " + pointer + ": parent is not a container", null,
                    null, null);
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, String pointer) {
        List<String> tokens = tokens(pointer);
        get(doc, pointer);
        JsonNode parent = get(doc, parentOf(pointer));
        String last = tokens.get(tokens.size() - 1);
        if (parent instanceof ArrayNode array) {
            array.remove(index(array, last, false));
        } else {
            ((ObjectNode) parent).remove(last);
        }
        return doc;
    }

    private static String parentOf(String pointer) {
        return pointer.substring(0, pointer.lastIndexOf('/'));
    }

    private static int index(JsonNode array, String token, boolean forInsert) {
        try {
            int i = Integer.parseInt(token);
            int max = forInsert ? array.size() : array.size() - 1;
            if (i < 0 || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new ApiException(422, "Invalid", "invalid array index " + token, null, null, null);
        }
    }
}
