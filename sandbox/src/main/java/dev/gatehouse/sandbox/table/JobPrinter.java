package dev.gatehouse.sandbox.table;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Jobs: NAME STATUS COMPLETIONS DURATION AGE, with containers, images and selector in wide output. */
final class JobPrinter implements Printer {
    private static final List<Column> COLUMNS = List.of(
            Column.nameColumn(),
            Column.text("Status", "Status of the job."),
            Column.text("Completions", "The desired number of successfully finished pods the job should be run "
                    + "with."),
            Column.text("Duration", "Time required to complete the job."),
            Column.ageColumn(),
            Column.wide("Containers", "Names of each container in the template."),
            Column.wide("Images", "Images referenced by each container in the template."),
            Column.wide("Selector", "Label selector for pods."));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ObjectNode job, Instant now) {
        JsonNode status = job.path("status");
        String state = "Running";
        for (JsonNode c : status.path("conditions")) {
            if (c.path("status").asText().equals("True")) {
                state = switch (c.path("type").asText()) {
                    case "Complete" -> "Complete";
                    case "Failed" -> "Failed";
                    case "Suspended" -> "Suspended";
                    default -> state;
                };
            }
        }
        String completions = status.path("succeeded").asLong() + "/" + job.path("spec").path("completions").asLong(1);
        String duration = "";
        if (status.hasNonNull("startTime")) {
            Instant start = Instant.parse(status.get("startTime").asText());
            Instant end = status.hasNonNull("completionTime") ? Instant.parse(status.get("completionTime").asText())
                    : now;
            duration = Age.human(Duration.between(start, end));
        }
        JsonNode podSpec = job.path("spec").path("template").path("spec");
        return List.of(Printers.name(job), state, completions, duration, Printers.age(job, now),
                Printers.containers(podSpec, "name"), Printers.containers(podSpec, "image"),
                Printers.selector(job.path("spec").path("selector").get("matchLabels")));
    }
}
