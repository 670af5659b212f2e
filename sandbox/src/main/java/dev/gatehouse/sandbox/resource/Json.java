package dev.gatehouse.sandbox.resource;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** The sandbox's JSON and YAML mappers and the few tree helpers every stage uses. */
public final class Json {
    /** JSON mapper for Kubernetes objects. */
    public static final ObjectMapper MAPPER = new ObjectMapper();
    /** YAML mapper, for server-side apply bodies. */
    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Parses a JSON object; a body that is not an object is a bad request. */
    public static ObjectNode parseObject(byte[] bytes) {
        return asObject(parse(MAPPER, bytes));
    }

    /** Parses YAML (or JSON, which is YAML) into an object. */
    public static ObjectNode parseYamlObject(byte[] bytes) {
        return asObject(parse(YAML, bytes));
    }

    public static JsonNode parse(byte[] bytes) {
        return parse(MAPPER, bytes);
    }

    private static JsonNode parse(ObjectMapper mapper, byte[] bytes) {
        try {
            JsonNode node = mapper.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("the request body is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the request body is not valid: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("the request body is not valid: " + e.getMessage());
        }
    }

    private static ObjectNode asObject(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badRequest("the request body must be an object, got " + node.getNodeType());
        }
        return object;
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text at a dotted path such as {@code metadata.name}, or {@code null}. */
    public static String text(JsonNode node, String dottedPath) {
        JsonNode value = at(node, dottedPath);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    /** The node at a dotted path, or {@code null}. */
    public static JsonNode at(JsonNode node, String dottedPath) {
        JsonNode current = node;
        for (String part : dottedPath.split("\\.")) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(part);
        }
        return current;
    }

    /** The object under {@code field}, created when missing (or replaced when not an object). */
    public static ObjectNode child(ObjectNode parent, String field) {
        JsonNode existing = parent.get(field);
        if (existing instanceof ObjectNode object) {
            return object;
        }
        return parent.putObject(field);
    }

    /** The entries of an object node (empty for anything else), for a for-each loop. */
    public static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        if (node == null || !node.isObject()) {
            return java.util.List.of();
        }
        return node.properties();
    }
}
