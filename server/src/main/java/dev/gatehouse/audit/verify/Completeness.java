package dev.gatehouse.audit.verify;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.gatehouse.audit.AuditEvent;

/**
 * Counts events per cluster and UTC day while the verifier streams the log, and lists the quiet days: days
 * without a single event for a cluster between its first and last day with events (an auditor's first question
 * when a log is complete but a period is not).
 */
final class Completeness {
    private final Map<String, TreeMap<String, long[]>> byCluster = new TreeMap<>();

    void add(long position, AuditEvent event) {
        String cluster = event.gatehouse() == null || event.gatehouse().cluster() == null
                || event.gatehouse().cluster().isEmpty() ? "-" : event.gatehouse().cluster();
        String ts = event.stageTimestamp() != null ? event.stageTimestamp() : event.requestReceivedTimestamp();
        String day = ts != null && ts.length() >= 10 ? ts.substring(0, 10) : "unknown";
        long[] c = byCluster.computeIfAbsent(cluster, k -> new TreeMap<>())
                .computeIfAbsent(day, k -> new long[] {0, position, position});
        c[0]++;
        c[2] = position;
    }

    List<PeriodCount> counts() {
        List<PeriodCount> out = new ArrayList<>();
        byCluster.forEach((cluster, days) -> days.forEach((day, c) ->
                out.add(new PeriodCount(cluster, day, c[0], c[1], c[2]))));
        return out;
    }

    /** Per cluster, the days with no events between its first and last day with events. */
    List<PeriodCount> quietDays() {
        List<PeriodCount> out = new ArrayList<>();
        byCluster.forEach((cluster, days) -> {
            try {
                List<LocalDate> seen = days.keySet().stream().filter(d -> !d.equals("unknown"))
                        .map(LocalDate::parse).toList();
                for (int i = 1; i < seen.size(); i++) {
                    for (LocalDate d = seen.get(i - 1).plusDays(1); d.isBefore(seen.get(i)); d = d.plusDays(1)) {
                        out.add(new PeriodCount(cluster, d.toString(), 0, -1, -1));
                    }
                }
            } catch (DateTimeParseException e) {
                // a malformed timestamp is reported by the event checks, not here
            }
        });
        return out;
    }
}
