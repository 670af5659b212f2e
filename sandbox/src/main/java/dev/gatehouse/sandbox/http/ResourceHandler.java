package dev.gatehouse.sandbox.http;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.patch.JsonPatch;
import dev.gatehouse.sandbox.patch.MergePatch;
import dev.gatehouse.sandbox.patch.PatchType;
import dev.gatehouse.sandbox.patch.ServerSideApply;
import dev.gatehouse.sandbox.patch.StrategicMergePatch;
import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.Json;
import dev.gatehouse.sandbox.resource.ResourceType;
import dev.gatehouse.sandbox.store.ObjectStore;
import dev.gatehouse.sandbox.store.Selector;

/** The verbs on stored objects: get, list, create, update, patch (all four kinds), delete and deletecollection. */
final class ResourceHandler {
    private final ObjectStore store;
    private final Renderer renderer;
    private final Clock clock;

    ResourceHandler(ObjectStore store, Renderer renderer, Clock clock) {
        this.store = store;
        this.renderer = renderer;
        this.clock = clock;
    }

    void handle(Exchange ex, RequestInfo info, ResourceType type) {
        if (!type.supports(info.verb())) {
            throw ApiException.methodNotAllowed(info.verb(), type);
        }
        String ns = namespaceOf(info, type);
        String name = nameOf(info, type);
        Representation representation = Representation.negotiate(ex.header("Accept"));
        switch (info.verb()) {
            case "get" -> ex.respond(200, renderer.object(type, store.require(type, ns, name), representation,
                    ex.param("includeObject")));
            case "list" -> list(ex, type, ns, representation);
            case "create" -> create(ex, type, ns);
            case "update" -> ex.respond(200, store.update(type, ns, name, checkedBody(ex, type), dryRun(ex)));
            case "patch" -> patch(ex, type, ns, name);
            case "delete" -> ex.respond(200, store.delete(type, ns, name, dryRun(ex)));
            case "deletecollection" -> deleteCollection(ex, type, ns);
            default -> throw ApiException.methodNotAllowed(info.verb(), type);
        }
    }

    /** The namespace a request is about; for the namespaces resource itself, none. */
    static String namespaceOf(RequestInfo info, ResourceType type) {
        return type.namespaced() ? info.namespace() : "";
    }

    static String nameOf(RequestInfo info, ResourceType type) {
        return info.name();
    }

    private void list(Exchange ex, ResourceType type, String ns, Representation representation) {
        String rv = Long.toString(store.resourceVersion());
        List<ObjectNode> items = store.list(type, ns, selector(ex));
        int offset = decodeContinue(ex.param("continue"));
        int limit = parseLimit(ex.param("limit"));
        String next = null;
        if (offset > 0 || (limit > 0 && items.size() > limit)) {
            int end = limit > 0 ? Math.min(items.size(), offset + limit) : items.size();
            if (end < items.size()) {
                next = Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(("offset:" + end).getBytes(StandardCharsets.UTF_8));
            }
            items = new ArrayList<>(items.subList(Math.min(offset, items.size()), end));
        }
        ex.respond(200, renderer.list(type, items, rv, next, representation, ex.param("includeObject")));
    }

    static Selector selector(Exchange ex) {
        return Selector.of(ex.param("labelSelector"), ex.param("fieldSelector"));
    }

    private static int parseLimit(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit: " + value + " (expected: an integer)");
        }
    }

    private static int decodeContinue(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            return Integer.parseInt(text.substring("offset:".length()));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw ApiException.badRequest("continue: invalid token");
        }
    }

    private void create(Exchange ex, ResourceType type, String ns) {
        ex.respond(201, store.create(type, ns, checkedBody(ex, type), false, dryRun(ex)));
    }

    /** Whether the request only asks what would happen: {@code dryRun=All}, or in a delete's DeleteOptions body. */
    static boolean dryRun(Exchange ex) {
        if ("All".equals(ex.param("dryRun"))) {
            return true;
        }
        if (ex.request().method().name().equals("DELETE") && ex.body().length > 0) {
            JsonNode options = Json.parse(ex.body());
            for (JsonNode value : options.path("dryRun")) {
                if (value.asText().equals("All")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The body, which must be of the type the URL names when it says what it is. */
    static ObjectNode checkedBody(Exchange ex, ResourceType type) {
        ObjectNode object = Bodies.object(ex);
        String kind = object.path("kind").asText("");
        String apiVersion = object.path("apiVersion").asText("");
        if ((!kind.isEmpty() && !kind.equals(type.kind()))
                || (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion()))) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion + ") and kind (" + kind
                    + ") do not match the expected " + type.apiVersion() + " " + type.kind());
        }
        return object;
    }

    private void patch(Exchange ex, ResourceType type, String ns, String name) {
        PatchType patchType = PatchType.of(ex.header("Content-Type"))
                .orElseThrow(() -> ApiException.unsupportedMediaType(ex.header("Content-Type")));
        UnaryOperator<ObjectNode> change = change(ex, patchType);
        ObjectStore.Written written = store.modify(type, ns, name, change, patchType == PatchType.APPLY,
                dryRun(ex));
        ex.respond(written.created() ? 201 : 200, written.object());
    }

    /** How a patch of this type changes a stored object ({@code null} only for apply, meaning create). */
    UnaryOperator<ObjectNode> change(Exchange ex, PatchType patchType) {
        byte[] body = ex.body();
        return switch (patchType) {
            case JSON -> {
                JsonNode ops = Json.parse(body);
                yield existing -> asObject(JsonPatch.apply(existing, ops));
            }
            case MERGE -> {
                ObjectNode patch = Json.parseObject(body);
                yield existing -> asObject(MergePatch.apply(existing, patch));
            }
            case STRATEGIC -> {
                ObjectNode patch = Json.parseObject(body);
                yield existing -> StrategicMergePatch.apply(existing, patch);
            }
            case APPLY -> {
                String manager = ex.param("fieldManager");
                if (manager == null || manager.isEmpty()) {
                    throw ApiException.badRequest("PATCH, application/apply-patch+yaml requests must have a "
                            + "fieldManager");
                }
                ObjectNode applied = Json.parseYamlObject(body);
                String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
                yield existing -> ServerSideApply.apply(existing, applied, manager, now);
            }
        };
    }

    private static ObjectNode asObject(JsonNode node) {
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw new ApiException(422, "Invalid", "the patch result is not an object", null, null, null);
    }

    private void deleteCollection(Exchange ex, ResourceType type, String ns) {
        List<ObjectNode> deleted = new ArrayList<>();
        for (ObjectNode obj : store.list(type, ns, selector(ex))) {
            JsonNode meta = obj.get("metadata");
            deleted.add(store.delete(type, meta.path("namespace").asText(""), meta.path("name").asText()));
        }
        ex.respond(200, renderer.list(type, deleted, Long.toString(store.resourceVersion()), null,
                Representation.OBJECT, null));
    }
}
