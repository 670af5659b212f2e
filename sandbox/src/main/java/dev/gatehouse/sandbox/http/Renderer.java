package dev.gatehouse.sandbox.http;

import java.time.Clock;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.Json;
import dev.gatehouse.sandbox.resource.ResourceType;
import dev.gatehouse.sandbox.table.TableConverter;

/** Puts objects and lists into the representation the client negotiated. */
final class Renderer {
    private final Clock clock;

    Renderer(Clock clock) {
        this.clock = clock;
    }

    ObjectNode object(ResourceType type, ObjectNode object, Representation representation, String includeObject) {
        return switch (representation.form()) {
            case OBJECT -> object;
            case TABLE -> TableConverter.table(type, List.of(object), TableConverter.Include.parse(includeObject),
                    representation.metaVersion(), object.path("metadata").path("resourceVersion").asText(""), null,
                    clock.instant());
            case PARTIAL_METADATA -> partial(object, representation);
        };
    }

    ObjectNode list(ResourceType type, List<ObjectNode> items, String resourceVersion, String continueToken,
                    Representation representation, String includeObject) {
        if (representation.form() == Representation.Form.TABLE) {
            return TableConverter.table(type, items, TableConverter.Include.parse(includeObject),
                    representation.metaVersion(), resourceVersion, continueToken, clock.instant());
        }
        boolean partial = representation.form() == Representation.Form.PARTIAL_METADATA;
        ObjectNode list = Json.object();
        if (partial) {
            list.put("kind", "PartialObjectMetadataList").put("apiVersion", "meta.k8s.io/" + representation.metaVersion());
        } else {
            list.put("kind", type.kind() + "List").put("apiVersion", type.apiVersion());
        }
        ObjectNode meta = list.putObject("metadata").put("resourceVersion", resourceVersion);
        if (continueToken != null) {
            meta.put("continue", continueToken);
        }
        ArrayNode array = list.putArray("items");
        for (ObjectNode item : items) {
            if (partial) {
                array.add(partial(item, representation));
            } else {
                item.remove(List.of("apiVersion", "kind"));
                array.add(item);
            }
        }
        return list;
    }

    private static ObjectNode partial(ObjectNode object, Representation representation) {
        ObjectNode partial = TableConverter.partialMetadata(object);
        partial.put("apiVersion", "meta.k8s.io/" + representation.metaVersion());
        return partial;
    }
}
