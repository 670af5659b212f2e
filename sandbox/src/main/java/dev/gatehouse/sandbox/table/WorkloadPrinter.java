package dev.gatehouse.sandbox.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Deployments, replica sets and stateful sets, each with the columns the apiserver prints for it. */
final class WorkloadPrinter implements Printer {
    enum Shape { DEPLOYMENT, REPLICA_SET, STATEFUL_SET }

    private static final Column CONTAINERS = Column.wide("Containers", "Names of each container in the template.");
    private static final Column IMAGES = Column.wide("Images", "Images referenced by each container in the template.");
    private static final Column SELECTOR = Column.wide("Selector", "Label selector for pods. Existing ReplicaSets "
            + "whose pods are selected by this will be the ones affected by this deployment.");

    private final Shape shape;

    WorkloadPrinter(Shape shape) {
        this.shape = shape;
    }

    @Override
    public List<Column> columns() {
        return switch (shape) {
            case DEPLOYMENT -> List.of(Column.nameColumn(),
                    Column.text("Ready", "Number of the pod with ready state"),
                    Column.integer("Up-to-date", "Total number of non-terminated pods targeted by this deployment "
                            + "that have the desired template spec."),
                    Column.integer("Available", "Total number of available pods (ready for at least minReadySeconds)"
                            + " targeted by this deployment."),
                    Column.ageColumn(), CONTAINERS, IMAGES, SELECTOR);
            case REPLICA_SET -> List.of(Column.nameColumn(),
                    Column.integer("Desired", "Number of desired pods."),
                    Column.integer("Current", "Number of actual replicas."),
                    Column.integer("Ready", "The number of ready replicas for this replica set."),
                    Column.ageColumn(), CONTAINERS, IMAGES, SELECTOR);
            case STATEFUL_SET -> List.of(Column.nameColumn(),
                    Column.text("Ready", "Number of the pod with ready state"),
                    Column.ageColumn(), CONTAINERS, IMAGES);
        };
    }

    @Override
    public List<Object> cells(ObjectNode obj, Instant now) {
        JsonNode spec = obj.path("spec");
        JsonNode status = obj.path("status");
        long desired = spec.path("replicas").asLong(1);
        long ready = status.path("readyReplicas").asLong();
        JsonNode podSpec = spec.path("template").path("spec");
        String containers = Printers.containers(podSpec, "name");
        String images = Printers.containers(podSpec, "image");
        List<Object> cells = new ArrayList<>();
        cells.add(Printers.name(obj));
        switch (shape) {
            case DEPLOYMENT -> {
                cells.add(ready + "/" + desired);
                cells.add(status.path("updatedReplicas").asLong());
                cells.add(status.path("availableReplicas").asLong());
            }
            case REPLICA_SET -> {
                cells.add(desired);
                cells.add(status.path("replicas").asLong());
                cells.add(ready);
            }
            case STATEFUL_SET -> cells.add(ready + "/" + desired);
        }
        cells.add(Printers.age(obj, now));
        cells.add(containers);
        cells.add(images);
        if (shape != Shape.STATEFUL_SET) {
            cells.add(Printers.selector(spec.path("selector").get("matchLabels")));
        }
        return cells;
    }
}
