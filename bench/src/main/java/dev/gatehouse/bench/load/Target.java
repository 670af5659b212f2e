package dev.gatehouse.bench.load;

import java.util.List;
import java.util.Map;

/**
 * One thing to load: a URL, the headers a client sends it, the processes whose CPU time counts as the
 * target's ({@code measured}) and the upstream behind it (its CPU is reported apart, as a cross-check).
 */
record Target(String name, String url, Map<String, String> headers, Child measured, Child upstream) {
    List<Long> measuredPids() {
        return measured.pids();
    }

    List<Long> upstreamPids() {
        return upstream == null || upstream == measured ? List.of() : upstream.pids();
    }
}
