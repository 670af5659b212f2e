package dev.gatehouse.sandbox.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Services: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, and SELECTOR with {@code -o wide}. */
final class ServicePrinter implements Printer {
    private static final List<Column> COLUMNS = List.of(
            Column.nameColumn(),
            Column.text("Type", "The type of the service."),
            Column.text("Cluster-IP", "The cluster IP of the service."),
            Column.text("External-IP", "The external IP of the service."),
            Column.text("Port(s)", "The ports of the service."),
            Column.ageColumn(),
            Column.wide("Selector", "Route service traffic to pods with label keys and values matching this "
                    + "selector."));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ObjectNode svc, Instant now) {
        JsonNode spec = svc.path("spec");
        List<String> ports = new ArrayList<>();
        for (JsonNode p : spec.path("ports")) {
            String port = p.path("port").asText() + (p.has("nodePort") ? ":" + p.path("nodePort").asText() : "");
            ports.add(port + "/" + p.path("protocol").asText("TCP"));
        }
        List<String> external = new ArrayList<>();
        for (JsonNode ip : spec.path("externalIPs")) {
            external.add(ip.asText());
        }
        String clusterIp = spec.path("clusterIP").asText("");
        return List.of(Printers.name(svc), spec.path("type").asText("ClusterIP"),
                clusterIp.isEmpty() ? "<none>" : clusterIp, external.isEmpty() ? "<none>" : String.join(",", external),
                ports.isEmpty() ? "<none>" : String.join(",", ports), Printers.age(svc, now),
                Printers.selector(spec.get("selector")));
    }
}
