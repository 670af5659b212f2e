package dev.gatehouse.api;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.gatehouse.config.Durations;
import dev.gatehouse.review.Grant;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.buffer.Buffer;

/**
 * The JSON bodies of the reviews API, read strictly: an object with only the known fields, each of its type;
 * anything else is 400 naming the field and what was expected. Nothing is coerced (a number is not a reason).
 */
final class ReviewBodies {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final int MAX_LIST = 64;
    private static final int MAX_TEXT = 4096;

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).build());
    }

    private ReviewBodies() {
    }

    /** A grant request: what it covers, for how long, and why. */
    record GrantRequest(Grant.Scope scope, Duration duration, String reason) {
    }

    /** The reason of an approval, denial, revocation or cancellation; "" for an empty body. */
    static String reason(Buffer body) {
        if (body.length() == 0) {
            return "";
        }
        JsonNode object = object(body, Set.of("reason"));
        return text(object, "reason", false);
    }

    /** {@code {"cluster", "namespaces", "verbs", "resources", "duration", "reason"}}. */
    static GrantRequest grantRequest(Buffer body) {
        JsonNode object = object(body, Set.of("cluster", "namespaces", "verbs", "resources", "duration", "reason"));
        String cluster = text(object, "cluster", true);
        List<String> verbs = strings(object, "verbs", true);
        List<String> resources = strings(object, "resources", true);
        List<String> namespaces = strings(object, "namespaces", false);
        String duration = text(object, "duration", true);
        Duration parsed;
        try {
            parsed = Durations.parse("duration", duration);
        } catch (IllegalArgumentException e) {
            throw GatewayException.badRequest(e.getMessage());
        }
        return new GrantRequest(new Grant.Scope(cluster, namespaces, verbs, resources), parsed,
                text(object, "reason", false));
    }

    private static JsonNode object(Buffer body, Set<String> fields) {
        JsonNode node;
        try {
            node = JSON.readTree(body.getBytes());
        } catch (IOException e) {
            throw GatewayException.badRequest("the body is not valid JSON (expected: an object with "
                    + String.join(", ", fields.stream().sorted().toList()) + ")");
        }
        if (node == null || !node.isObject()) {
            throw GatewayException.badRequest("the body is " + (node == null ? "empty" : "a JSON "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)) + " (expected: an object)");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw GatewayException.badRequest("unknown field \"" + Replies.shorten(name) + "\" (expected: "
                        + String.join(", ", fields.stream().sorted().toList()) + ")");
            }
        }
        return node;
    }

    private static String text(JsonNode object, String field, boolean required) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw GatewayException.badRequest(field + ": missing (expected: a string)");
            }
            return "";
        }
        if (!value.isTextual()) {
            throw GatewayException.badRequest(field + ": a " + kind(value) + " (expected: a string)");
        }
        String text = value.textValue();
        if (text.length() > MAX_TEXT) {
            throw GatewayException.badRequest(field + ": " + text.length() + " characters (expected: at most "
                    + MAX_TEXT + ")");
        }
        if (required && text.isBlank()) {
            throw GatewayException.badRequest(field + ": empty (expected: a non-empty string)");
        }
        return text;
    }

    private static List<String> strings(JsonNode object, String field, boolean required) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw GatewayException.badRequest(field + ": missing (expected: an array of strings)");
            }
            return List.of();
        }
        if (!value.isArray()) {
            throw GatewayException.badRequest(field + ": a " + kind(value) + " (expected: an array of strings)");
        }
        if (value.size() > MAX_LIST || (required && value.isEmpty())) {
            throw GatewayException.badRequest(field + ": " + value.size() + " items (expected: 1 to " + MAX_LIST
                    + ")");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.textValue().isBlank() || item.textValue().length() > 253) {
                throw GatewayException.badRequest(field + ": an item is " + (item.isTextual()
                        ? "empty or too long" : "a " + kind(item)) + " (expected: non-empty strings)");
            }
            items.add(item.textValue());
        }
        return items;
    }

    private static String kind(JsonNode value) {
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
