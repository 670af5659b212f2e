package dev.gatehouse.sandbox.http;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.patch.PatchType;
import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.Json;
import dev.gatehouse.sandbox.resource.ResourceType;
import dev.gatehouse.sandbox.store.ObjectStore;
import dev.gatehouse.sandbox.table.Printers;

/**
 * Subresources other than logs: {@code status} and {@code finalize} (the object itself), {@code scale}
 * ({@code autoscaling/v1 Scale} over a workload's replicas) and {@code serviceaccounts/token}. The streaming pod
 * subresources ({@code exec}, {@code attach}, {@code portforward}) are {@link StreamHandler}'s.
 */
final class SubresourceHandler {
    private final ObjectStore store;
    private final ResourceHandler resources;
    private final Clock clock;

    SubresourceHandler(ObjectStore store, ResourceHandler resources, Clock clock) {
        this.store = store;
        this.resources = resources;
        this.clock = clock;
    }

    void handle(Exchange ex, RequestInfo info, ResourceType type) {
        String sub = info.subresource();
        if (!type.hasSubresource(sub)) {
            throw ApiException.notFound("the server could not find the requested resource (" + info.verb() + " "
                    + type.qualifiedName() + "/" + sub + ")");
        }
        String ns = ResourceHandler.namespaceOf(info, type);
        String name = info.name();
        switch (sub) {
            case "status", "finalize" -> objectItself(ex, info, type, ns, name);
            case "scale" -> scale(ex, info, type, ns, name);
            case "token" -> token(ex, ns, name, type);
            default -> throw new ApiException(400, "BadRequest", "the sandbox cluster runs no containers: "
                    + type.plural() + "/" + sub + " is not supported", name, type.group(), type.plural());
        }
    }

    private void objectItself(Exchange ex, RequestInfo info, ResourceType type, String ns, String name) {
        switch (info.verb()) {
            case "get" -> ex.respond(200, store.require(type, ns, name));
            case "update" -> ex.respond(200, store.update(type, ns, name, ResourceHandler.checkedBody(ex, type)));
            case "patch" -> {
                PatchType patchType = patchType(ex);
                ex.respond(200, store.modify(type, ns, name, resources.change(ex, patchType), false).object());
            }
            default -> throw ApiException.methodNotAllowed(info.verb(), type);
        }
    }

    private void scale(Exchange ex, RequestInfo info, ResourceType type, String ns, String name) {
        ObjectNode current = scaleOf(store.require(type, ns, name));
        ObjectNode wanted = switch (info.verb()) {
            case "get" -> null;
            case "update" -> Bodies.object(ex);
            case "patch" -> resources.change(ex, patchType(ex)).apply(current);
            default -> throw ApiException.methodNotAllowed(info.verb(), type);
        };
        if (wanted == null) {
            ex.respond(200, current);
            return;
        }
        JsonNode replicas = Json.at(wanted, "spec.replicas");
        if (replicas == null || !replicas.canConvertToInt() || replicas.asInt() < 0) {
            throw ApiException.invalid(type, name, "spec.replicas: Invalid value: " + replicas
                    + ": must be greater than or equal to 0");
        }
        ObjectNode updated = store.modify(type, ns, name, obj -> {
            Json.child(obj, "spec").put("replicas", replicas.asInt());
            return obj;
        }, false).object();
        ex.respond(200, scaleOf(updated));
    }

    private static ObjectNode scaleOf(ObjectNode workload) {
        ObjectNode scale = Json.object().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        for (String field : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            if (workload.path("metadata").has(field)) {
                meta.set(field, workload.path("metadata").get(field));
            }
        }
        scale.putObject("spec").put("replicas", workload.path("spec").path("replicas").asInt());
        String selector = Printers.selectorOf(workload.path("spec").path("selector").get("matchLabels"));
        scale.putObject("status").put("replicas", workload.path("status").path("replicas").asInt())
                .put("selector", selector);
        return scale;
    }

    private void token(Exchange ex, String ns, String name, ResourceType type) {
        if (!ex.request().method().name().equals("POST")) {
            throw ApiException.methodNotAllowed("get", type);
        }
        store.require(type, ns, name);
        ObjectNode request = ex.body().length == 0 ? Json.object() : Bodies.object(ex);
        long seconds = Json.at(request, "spec.expirationSeconds") == null ? 3600
                : Json.at(request, "spec.expirationSeconds").asLong();
        ObjectNode response = Json.object().put("kind", "TokenRequest").put("apiVersion", "authentication.k8s.io/v1");
        response.putObject("metadata").put("name", name).put("namespace", ns)
                .put("creationTimestamp", Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
        ObjectNode spec = response.putObject("spec");
        spec.set("audiences", request.path("spec").path("audiences").isArray()
                ? request.path("spec").get("audiences") : Json.MAPPER.createArrayNode());
        spec.put("expirationSeconds", seconds);
        String subject = "system:serviceaccount:" + ns + ":" + name;
        String token = "sandbox." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(subject.getBytes(StandardCharsets.UTF_8)) + "." + UUID.randomUUID();
        response.putObject("status").put("token", token).put("expirationTimestamp",
                Instant.now(clock).plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS).toString());
        ex.respond(201, response);
    }

    private static PatchType patchType(Exchange ex) {
        return PatchType.of(ex.header("Content-Type"))
                .orElseThrow(() -> ApiException.unsupportedMediaType(ex.header("Content-Type")));
    }
}
