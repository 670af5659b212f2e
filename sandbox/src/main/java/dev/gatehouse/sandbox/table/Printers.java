package dev.gatehouse.sandbox.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.Json;
import dev.gatehouse.sandbox.resource.ResourceType;

/** The printer for each kind; kinds without one get NAME and AGE, like custom resources. */
public final class Printers {
    private static final String NONE = "<none>";

    private static final Map<String, Printer> BY_KIND = Map.ofEntries(
            Map.entry("Pod", new PodPrinter()),
            Map.entry("Namespace", of(List.of(Column.nameColumn(), Column.text("Status", "The status of the namespace"),
                    Column.ageColumn()), (o, now) -> List.of(name(o), text(o, "status.phase", ""), age(o, now)))),
            Map.entry("ConfigMap", of(List.of(Column.nameColumn(), Column.integer("Data", "Data is the number of keys in "
                    + "this config map."), Column.ageColumn()), (o, now) -> List.of(name(o), size(o, "data")
                    + size(o, "binaryData"), age(o, now)))),
            Map.entry("Secret", of(List.of(Column.nameColumn(), Column.text("Type", "The type of the secret"),
                    Column.integer("Data", "The number of keys in this secret."), Column.ageColumn()),
                    (o, now) -> List.of(name(o), text(o, "type", ""), size(o, "data"), age(o, now)))),
            Map.entry("ServiceAccount", of(List.of(Column.nameColumn(), Column.integer("Secrets", "Secrets is the list "
                    + "of secrets allowed to be used by pods running using this ServiceAccount."), Column.ageColumn()),
                    (o, now) -> List.of(name(o), o.path("secrets").size(), age(o, now)))),
            Map.entry("Service", new ServicePrinter()),
            Map.entry("Node", of(List.of(Column.nameColumn(), Column.text("Status", "The status of the node"),
                    Column.text("Roles", "The roles of the node"), Column.ageColumn(),
                    Column.text("Version", "Kubelet Version reported by the node.")),
                    (o, now) -> List.of(name(o), "Ready", roles(o), age(o, now),
                            text(o, "status.nodeInfo.kubeletVersion", "")))),
            Map.entry("Event", new EventPrinter()),
            Map.entry("Deployment", new WorkloadPrinter(WorkloadPrinter.Shape.DEPLOYMENT)),
            Map.entry("ReplicaSet", new WorkloadPrinter(WorkloadPrinter.Shape.REPLICA_SET)),
            Map.entry("StatefulSet", new WorkloadPrinter(WorkloadPrinter.Shape.STATEFUL_SET)),
            Map.entry("Job", new JobPrinter()),
            Map.entry("Role", of(List.of(Column.nameColumn(), new Column("Created At", "date", "", "Time at which the "
                    + "object was created", 0)), (o, now) -> List.of(name(o), text(o, "metadata.creationTimestamp",
                    "")))),
            Map.entry("ClusterRole", of(List.of(Column.nameColumn(), new Column("Created At", "date", "", "Time at "
                    + "which the object was created", 0)), (o, now) -> List.of(name(o),
                    text(o, "metadata.creationTimestamp", "")))),
            Map.entry("RoleBinding", bindingPrinter()),
            Map.entry("ClusterRoleBinding", bindingPrinter()));

    private static final Printer DEFAULT = of(List.of(Column.nameColumn(), Column.ageColumn()),
            (o, now) -> List.of(name(o), age(o, now)));

    private Printers() {
    }

    public static Printer forType(ResourceType type) {
        return BY_KIND.getOrDefault(type.kind(), DEFAULT);
    }

    static Printer of(List<Column> columns, BiFunction<ObjectNode, Instant, List<Object>> cells) {
        return new Printer() {
            @Override
            public List<Column> columns() {
                return columns;
            }

            @Override
            public List<Object> cells(ObjectNode object, Instant now) {
                return cells.apply(object, now);
            }
        };
    }

    private static Printer bindingPrinter() {
        return of(List.of(Column.nameColumn(), Column.text("Role", "RoleRef references a Role in the current namespace "
                        + "or a ClusterRole in the global namespace."), Column.ageColumn(),
                Column.wide("Users", "Users in the binding"), Column.wide("Groups", "Groups in the binding"),
                Column.wide("ServiceAccounts", "ServiceAccounts in the binding")),
                (o, now) -> List.of(name(o), text(o, "roleRef.kind", "") + "/" + text(o, "roleRef.name", ""),
                        age(o, now), subjects(o, "User"), subjects(o, "Group"), subjects(o, "ServiceAccount")));
    }

    private static String roles(ObjectNode node) {
        List<String> roles = new ArrayList<>();
        for (Map.Entry<String, JsonNode> label : Json.fields(node.path("metadata").path("labels"))) {
            if (label.getKey().startsWith("node-role.kubernetes.io/")) {
                roles.add(label.getKey().substring("node-role.kubernetes.io/".length()));
            }
        }
        return roles.isEmpty() ? NONE : String.join(",", roles);
    }

    private static String subjects(ObjectNode binding, String kind) {
        List<String> names = new ArrayList<>();
        for (JsonNode s : binding.path("subjects")) {
            if (kind.equals(s.path("kind").asText())) {
                String ns = s.path("namespace").asText("");
                names.add(kind.equals("ServiceAccount") ? ns + "/" + s.path("name").asText() : s.path("name").asText());
            }
        }
        return names.isEmpty() ? "" : String.join(", ", names);
    }

    static String name(ObjectNode o) {
        return text(o, "metadata.name", "");
    }

    static String age(ObjectNode o, Instant now) {
        return Age.since(Json.text(o, "metadata.creationTimestamp"), now);
    }

    static String text(ObjectNode o, String path, String otherwise) {
        String value = Json.text(o, path);
        return value == null ? otherwise : value;
    }

    static int size(ObjectNode o, String field) {
        JsonNode node = o.get(field);
        return node == null ? 0 : node.size();
    }

    /** {@code a=b,c=d} in key order, or {@code <none>}. */
    static String selector(JsonNode labels) {
        if (labels == null || labels.isEmpty()) {
            return NONE;
        }
        List<String> parts = new ArrayList<>();
        new java.util.TreeMap<>(Json.MAPPER.convertValue(labels, Map.class)).forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }

    /** {@code a=b,c=d} in key order, or {@code ""} when there are no labels (a Scale's status.selector). */
    public static String selectorOf(JsonNode labels) {
        String s = selector(labels);
        return s.equals(NONE) ? "" : s;
    }

    /** The containers' names or images, comma separated. */
    static String containers(JsonNode podSpec, String field) {
        List<String> values = new ArrayList<>();
        for (JsonNode c : podSpec.path("containers")) {
            values.add(c.path(field).asText());
        }
        return String.join(",", values);
    }
}
