package dev.gatehouse.sandbox.table;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Pods: NAME READY STATUS RESTARTS AGE, and IP NODE NOMINATED NODE READINESS GATES with {@code -o wide}. */
final class PodPrinter implements Printer {
    private static final List<Column> COLUMNS = List.of(
            Column.nameColumn(),
            Column.text("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            Column.text("Status", "The aggregate status of the containers in this pod."),
            Column.text("Restarts", "The number of times the containers in this pod have been restarted and when "
                    + "the last container in this pod has restarted."),
            Column.ageColumn(),
            Column.wide("IP", "podIP address allocated to the pod. Routable at least within the cluster. Empty if "
                    + "not yet allocated."),
            Column.wide("Node", "NodeName indicates in which node this pod is scheduled."),
            Column.wide("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the "
                    + "node, but it cannot be scheduled right away as preemption victims receive their graceful "
                    + "termination periods."),
            Column.wide("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness."));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ObjectNode pod, Instant now) {
        JsonNode status = pod.path("status");
        int total = pod.path("spec").path("containers").size();
        int ready = 0;
        long restarts = 0;
        for (JsonNode cs : status.path("containerStatuses")) {
            if (cs.path("ready").asBoolean()) {
                ready++;
            }
            restarts += cs.path("restartCount").asLong();
        }
        String ip = status.path("podIP").asText("");
        String node = pod.path("spec").path("nodeName").asText("");
        String nominated = status.path("nominatedNodeName").asText("");
        return List.of(Printers.name(pod), ready + "/" + total, reason(pod), Long.toString(restarts),
                Printers.age(pod, now), ip.isEmpty() ? "<none>" : ip, node.isEmpty() ? "<none>" : node,
                nominated.isEmpty() ? "<none>" : nominated, "<none>");
    }

    @Override
    public List<String> completedConditions(ObjectNode pod) {
        String phase = pod.path("status").path("phase").asText();
        return phase.equals("Succeeded") || phase.equals("Failed") ? List.of("Completed") : List.of();
    }

    /** The STATUS column: Terminating, a container's waiting or terminated reason, else the phase. */
    static String reason(ObjectNode pod) {
        JsonNode status = pod.path("status");
        String reason = status.path("reason").asText(status.path("phase").asText("Unknown"));
        boolean running = false;
        JsonNode statuses = status.path("containerStatuses");
        for (int i = statuses.size() - 1; i >= 0; i--) {
            JsonNode state = statuses.get(i).path("state");
            if (state.has("waiting") && !state.path("waiting").path("reason").asText().isEmpty()) {
                reason = state.path("waiting").path("reason").asText();
            } else if (state.has("terminated")) {
                JsonNode t = state.path("terminated");
                reason = !t.path("reason").asText().isEmpty() ? t.path("reason").asText()
                        : t.has("signal") ? "Signal:" + t.path("signal").asInt()
                        : "ExitCode:" + t.path("exitCode").asInt();
            } else if (state.has("running") && statuses.get(i).path("ready").asBoolean()) {
                running = true;
            }
        }
        if (reason.equals("Completed") && running) {
            reason = "Running";
        }
        if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
            reason = "Terminating";
        }
        return reason;
    }
}
