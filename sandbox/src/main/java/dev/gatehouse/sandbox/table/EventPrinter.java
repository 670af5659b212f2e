package dev.gatehouse.sandbox.table;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Events: LAST SEEN TYPE REASON OBJECT MESSAGE, with source, counts and name in wide output. */
final class EventPrinter implements Printer {
    private static final List<Column> COLUMNS = List.of(
            Column.text("Last Seen", "Time when this Event was last seen"),
            Column.text("Type", "Type of this event (Normal, Warning), new types could be added in the future."),
            Column.text("Reason", "This should be a short, machine understandable string that gives the reason for "
                    + "this event being generated."),
            Column.text("Object", "The object this Event is about"),
            Column.wide("Subobject", "The subobject this Event is about"),
            Column.wide("Source", "The component reporting this event. Should be a short machine understandable "
                    + "string."),
            Column.text("Message", "A human-readable description of the status of this operation."),
            Column.wide("First Seen", "The time at which the event was first recorded. (Time of server receipt is in "
                    + "TypeMeta.)"),
            new Column("Count", "integer", "", "The number of times this event has occurred.", 1),
            new Column("Name", "string", "name", Column.NAME_DOC, 1));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ObjectNode event, Instant now) {
        JsonNode involved = event.path("involvedObject");
        String object = involved.path("kind").asText().toLowerCase(java.util.Locale.ROOT) + "/"
                + involved.path("name").asText();
        String last = Printers.text(event, "lastTimestamp", Printers.text(event, "eventTime", null));
        String first = Printers.text(event, "firstTimestamp", last);
        String source = event.path("source").path("component").asText("");
        String host = event.path("source").path("host").asText("");
        return List.of(Age.since(last, now), Printers.text(event, "type", ""), Printers.text(event, "reason", ""),
                object, involved.path("fieldPath").asText(""), host.isEmpty() ? source : source + ", " + host,
                Printers.text(event, "message", "").trim(), Age.since(first, now),
                event.path("count").asLong(1), Printers.name(event));
    }
}
