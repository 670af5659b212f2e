package dev.gatehouse.audit.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.gatehouse.audit.AuditEvent;

/** Counts events per cluster and UTC day while the verifier streams the log. */
final class Completeness {
    private final Map<String, long[]> counts = new TreeMap<>();

    void add(long position, AuditEvent event) {
        String cluster = event.gatehouse() == null || event.gatehouse().cluster() == null
                || event.gatehouse().cluster().isEmpty() ? "-" : event.gatehouse().cluster();
        String ts = event.stageTimestamp() != null ? event.stageTimestamp() : event.requestReceivedTimestamp();
        String day = ts != null && ts.length() >= 10 ? ts.substring(0, 10) : "unknown";
        long[] c = counts.computeIfAbsent(cluster + "\u0000" + day, k -> new long[] {0, position, position});
        c[0]++;
        c[2] = position;
    }

    List<PeriodCount> counts() {
        List<PeriodCount> out = new ArrayList<>();
        counts.forEach((key, c) -> {
            String[] parts = key.split("\u0000", 2);
            out.add(new PeriodCount(parts[0], parts[1], c[0], c[1], c[2]));
        });
        return out;
    }
}
