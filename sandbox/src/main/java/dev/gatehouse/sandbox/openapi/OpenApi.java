package dev.gatehouse.sandbox.openapi;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.openapi.SchemaText.Field;
import dev.gatehouse.sandbox.openapi.SchemaText.Schema;
import dev.gatehouse.sandbox.resource.Json;
import dev.gatehouse.sandbox.resource.ResourceCatalog;
import dev.gatehouse.sandbox.resource.ResourceType;

/**
 * The OpenAPI documents kubectl reads: {@code /openapi/v3} (an index of group versions),
 * {@code /openapi/v3/api/v1} and {@code /openapi/v3/apis/<group>/<version>} (paths and schemas; what
 * {@code kubectl explain} prints and where {@code kubectl apply} checks that PATCH supports {@code fieldValidation}),
 * and {@code /openapi/v2} as JSON. Built once from the hand-written {@code schemas.txt}; kinds without a schema there
 * still get their paths.
 */
public final class OpenApi {
    private static final String V3_REF = "#/components/schemas/";
    private static final String V2_REF = "#/definitions/";

    private final Map<String, Schema> schemas;
    private final Map<String, ObjectNode> v3Documents = new LinkedHashMap<>();
    private final Map<String, String> v3Hashes = new LinkedHashMap<>();
    private final ObjectNode v2;

    public OpenApi(ResourceCatalog catalog) {
        this.schemas = SchemaText.load();
        Map<String, List<ResourceType>> byGroupVersion = new LinkedHashMap<>();
        for (ResourceType t : catalog.all()) {
            byGroupVersion.computeIfAbsent(key(t), k -> new java.util.ArrayList<>()).add(t);
        }
        byGroupVersion.forEach((gv, types) -> {
            ObjectNode doc = v3Document(types);
            v3Documents.put(gv, doc);
            v3Hashes.put(gv, hash(doc));
        });
        this.v2 = v2Document(catalog.all());
    }

    private static String key(ResourceType t) {
        return t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
    }

    /** The {@code /openapi/v3} index. */
    public ObjectNode v3Index() {
        ObjectNode index = Json.object();
        ObjectNode paths = index.putObject("paths");
        v3Documents.keySet().forEach(gv -> paths.putObject(gv)
                .put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + v3Hashes.get(gv)));
        return index;
    }

    /** The document of one group version, by its index key ({@code api/v1}, {@code apis/apps/v1}). */
    public Optional<ObjectNode> v3(String groupVersionPath) {
        return Optional.ofNullable(v3Documents.get(groupVersionPath));
    }

    /** The Swagger 2.0 document. */
    public ObjectNode v2() {
        return v2;
    }

    private ObjectNode v3Document(List<ResourceType> types) {
        ObjectNode doc = Json.object().put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
        ObjectNode paths = doc.putObject("paths");
        Set<String> needed = new LinkedHashSet<>();
        for (ResourceType t : types) {
            addPaths(paths, t);
            schemaOf(t).ifPresent(s -> closure(s.name(), needed));
        }
        ObjectNode components = doc.putObject("components").putObject("schemas");
        for (String name : needed) {
            components.set(name, schemaJson(schemas.get(name), V3_REF));
        }
        return doc;
    }

    private ObjectNode v2Document(List<ResourceType> types) {
        ObjectNode doc = Json.object().put("swagger", "2.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
        ObjectNode paths = doc.putObject("paths");
        types.forEach(t -> addPaths(paths, t));
        ObjectNode definitions = doc.putObject("definitions");
        schemas.values().forEach(s -> definitions.set(s.name(), schemaJson(s, V2_REF)));
        return doc;
    }

    private Optional<Schema> schemaOf(ResourceType t) {
        return schemas.values().stream()
                .filter(s -> s.isKind() && s.group().equals(t.group()) && s.version().equals(t.version())
                        && s.kind().equals(t.kind()))
                .findFirst();
    }

    private void closure(String name, Set<String> out) {
        if (!schemas.containsKey(name) || !out.add(name)) {
            return;
        }
        for (Field f : schemas.get(name).fields()) {
            String type = f.type().replace("[]", "").replace("map[", "").replace("]", "");
            closure(type, out);
        }
    }

    private static void addPaths(ObjectNode paths, ResourceType t) {
        String base = t.groupVersionPath() + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural();
        ObjectNode collection = paths.putObject(base);
        if (t.supports("list")) {
            collection.set("get", operation(t, "list", false));
        }
        if (t.supports("create")) {
            collection.set("post", operation(t, "post", true));
        }
        if (t.supports("get")) {
            ObjectNode item = paths.putObject(base + "/{name}");
            item.set("get", operation(t, "get", false));
            item.set("put", operation(t, "put", true));
            item.set("patch", operation(t, "patch", true));
            item.set("delete", operation(t, "delete", false));
        }
    }

    private static ObjectNode operation(ResourceType t, String action, boolean writes) {
        ObjectNode op = Json.object().put("description", action + " " + t.kind())
                .put("operationId", action + t.kind());
        ArrayNode parameters = op.putArray("parameters");
        if (writes) {
            for (String p : List.of("dryRun", "fieldManager", "fieldValidation")) {
                parameters.addObject().put("name", p).put("in", "query").put("description", p)
                        .putObject("schema").put("type", "string").put("uniqueItems", true);
            }
            if (action.equals("patch")) {
                parameters.addObject().put("name", "force").put("in", "query").put("description", "force")
                        .putObject("schema").put("type", "boolean").put("uniqueItems", true);
            }
        }
        op.putObject("responses").putObject("200").put("description", "OK");
        op.put("x-kubernetes-action", action);
        op.putObject("x-kubernetes-group-version-kind").put("group", t.group()).put("version", t.version())
                .put("kind", t.kind());
        return op;
    }

    private ObjectNode schemaJson(Schema schema, String refPrefix) {
        ObjectNode json = Json.object().put("description", schema.description()).put("type", "object");
        ObjectNode properties = json.putObject("properties");
        ArrayNode required = Json.MAPPER.createArrayNode();
        for (Field f : schema.fields()) {
            ObjectNode property = type(f.type(), refPrefix);
            property.put("description", f.description());
            properties.set(f.name(), property);
            if (f.required()) {
                required.add(f.name());
            }
        }
        if (!required.isEmpty()) {
            json.set("required", required);
        }
        if (schema.isKind()) {
            json.putArray("x-kubernetes-group-version-kind").addObject().put("group", schema.group())
                    .put("kind", schema.kind()).put("version", schema.version());
        }
        return json;
    }

    private ObjectNode type(String type, String refPrefix) {
        if (type.startsWith("[]")) {
            ObjectNode array = Json.object().put("type", "array");
            array.set("items", type(type.substring(2), refPrefix));
            return array;
        }
        if (type.startsWith("map[")) {
            ObjectNode map = Json.object().put("type", "object");
            map.set("additionalProperties", type(type.substring(4, type.length() - 1), refPrefix));
            return map;
        }
        return switch (type) {
            case "string", "boolean", "number", "object" -> Json.object().put("type", type);
            case "integer" -> Json.object().put("type", "integer").put("format", "int32");
            case "date-time" -> Json.object().put("type", "string").put("format", "date-time");
            case "int-or-string" -> Json.object().put("type", "string").put("format", "int-or-string");
            case "quantity" -> Json.object().put("type", "string").put("format", "quantity");
            default -> {
                if (!schemas.containsKey(type)) {
                    throw new IllegalStateException("schemas.txt refers to an unknown schema: " + type);
                }
                if (refPrefix.equals(V2_REF)) {
                    yield Json.object().put("$ref", refPrefix + type);
                }
                ObjectNode ref = Json.object();
                ref.putArray("allOf").addObject().put("$ref", refPrefix + type);
                ref.putObject("default");
                yield ref;
            }
        };
    }

    private static String hash(ObjectNode doc) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512").digest(Json.bytes(doc));
            return HexFormat.of().withUpperCase().formatHex(digest, 0, 64);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
