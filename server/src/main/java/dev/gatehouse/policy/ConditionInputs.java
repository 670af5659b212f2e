package dev.gatehouse.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelVariableResolver;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.identity.Identity;

/**
 * The values a condition sees, built on first use and shared by every condition of one decision:
 * {@code identity}, {@code request} and {@code object} (JSON turned into maps, lists, int, double, string, bool and
 * null; null when there is no object).
 */
final class ConditionInputs implements CelVariableResolver {
    private static final int MAX_DEPTH = 100;
    private final PolicyRequest source;
    private Map<String, Object> identity;
    private Map<String, Object> request;
    private Object object;

    ConditionInputs(PolicyRequest source) {
        this.source = source;
    }

    @Override
    public Optional<Object> find(String name) {
        return switch (name) {
            case "identity" -> Optional.of(identity());
            case "request" -> Optional.of(request());
            case "object" -> Optional.of(object());
            default -> Optional.empty();
        };
    }

    private Map<String, Object> identity() {
        if (identity == null) {
            Identity id = source.identity();
            Map<String, Object> m = new HashMap<>();
            m.put("user", id.user());
            m.put("uid", id.uid());
            m.put("groups", id.groups());
            m.put("issuer", id.issuer());
            m.put("method", id.method().wireName());
            m.put("actors", id.actorChain().stream().map(Identity.Actor::subject).toList());
            m.put("claims", id.attributes());
            identity = m;
        }
        return identity;
    }

    private Map<String, Object> request() {
        if (request == null) {
            RequestInfo r = source.request();
            Map<String, Object> m = new HashMap<>();
            m.put("cluster", r.cluster());
            m.put("verb", r.verb());
            m.put("apiGroup", r.apiGroup());
            m.put("apiVersion", r.apiVersion());
            m.put("resource", r.resource());
            m.put("subresource", r.subresource());
            m.put("namespace", r.namespace());
            m.put("name", r.name());
            m.put("path", r.path());
            request = m;
        }
        return request;
    }

    private Object object() {
        if (object == null) {
            object = source.object() == null ? NullValue.NULL_VALUE : value(source.object(), 0);
        }
        return object;
    }

    /** A JSON value as CEL sees it. */
    static Object value(JsonNode node, int depth) {
        if (depth > MAX_DEPTH) {
            throw new Condition.ConditionError("the object is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (node.isObject()) {
            Map<String, Object> m = new HashMap<>();
            node.properties().forEach(e -> m.put(e.getKey(), value(e.getValue(), depth + 1)));
            return m;
        }
        if (node.isArray()) {
            List<Object> l = new ArrayList<>(node.size());
            node.forEach(item -> l.add(value(item, depth + 1)));
            return l;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : (Object) node.doubleValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.asText();
    }
}
