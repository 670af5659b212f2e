package dev.gatehouse.sandbox.table;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.Json;
import dev.gatehouse.sandbox.resource.ResourceType;

/**
 * Turns objects into a {@code meta.k8s.io Table}, as the apiserver does when a client's Accept header asks for
 * {@code as=Table}: column definitions from the kind's {@link Printer}, one row per object, and in each row the
 * object itself as {@code PartialObjectMetadata} (the default), whole, or not at all ({@code includeObject}).
 */
public final class TableConverter {
    /** What each row carries in {@code rows[].object}. */
    public enum Include {
        NONE, METADATA, OBJECT;

        /** Parses the {@code includeObject} query parameter; absent means Metadata. */
        public static Include parse(String value) {
            if (value == null || value.isEmpty()) {
                return METADATA;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "metadata" -> METADATA;
                case "object" -> OBJECT;
                default -> throw ApiException.badRequest("includeObject: " + value
                        + " (expected: None, Metadata or Object)");
            };
        }
    }

    private TableConverter() {
    }

    /**
     * @param tableVersion    {@code v1} or {@code v1beta1} of {@code meta.k8s.io}
     * @param resourceVersion the list's (or object's) resource version
     * @param continueToken   the list's continue token, or null
     */
    public static ObjectNode table(ResourceType type, List<ObjectNode> objects, Include include, String tableVersion,
                                   String resourceVersion, String continueToken, Instant now) {
        Printer printer = Printers.forType(type);
        ObjectNode table = Json.object();
        table.put("kind", "Table").put("apiVersion", "meta.k8s.io/" + tableVersion);
        ObjectNode meta = table.putObject("metadata").put("resourceVersion", resourceVersion);
        if (continueToken != null) {
            meta.put("continue", continueToken);
        }
        ArrayNode columns = table.putArray("columnDefinitions");
        printer.columns().forEach(c -> columns.add(c.toJson()));
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode object : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Object cell : printer.cells(object, now)) {
                switch (cell) {
                    case Integer i -> cells.add(i);
                    case Long l -> cells.add(l);
                    default -> cells.add(String.valueOf(cell));
                }
            }
            List<String> completed = printer.completedConditions(object);
            if (!completed.isEmpty()) {
                ArrayNode conditions = row.putArray("conditions");
                completed.forEach(c -> conditions.addObject().put("type", c).put("status", "True")
                        .put("reason", "").put("message", ""));
            }
            switch (include) {
                case NONE -> { }
                case METADATA -> row.set("object", partialMetadata(object));
                case OBJECT -> row.set("object", object);
            }
        }
        return table;
    }

    /** The object reduced to a {@code meta.k8s.io/v1 PartialObjectMetadata}. */
    public static ObjectNode partialMetadata(ObjectNode object) {
        ObjectNode partial = Json.object();
        partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", object.path("metadata").deepCopy());
        return partial;
    }
}
