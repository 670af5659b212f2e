package dev.gatehouse.bench.load;

import java.util.List;
import java.util.Map;

/** Renders a run as Markdown: environment, measurements, ratios, streaming checks and the profile. */
final class Markdown {
    private Markdown() {
    }

    static String render(Map<String, String> environment, List<Measurement> measurements, List<Report.Ratio> ratios,
                         List<StreamingCheck.Result> streaming, DurableWait.Result durableWait,
                         DurableWait.Control durableControl, String profile) {
        StringBuilder md = new StringBuilder("# Load harness run\n\n");
        environment.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("""

                ## Measurements

                CPU = user+system time of the target's own processes (nginx master+workers, the kubectl process,
                the gateway JVM with all its threads) per request; upstream = the nginx upstream's CPU per request
                behind it. h2load reports no percentiles, so h2 rows give the mean only.

                | target | protocol | concurrency | req/s | p50 ms | p99 ms | mean ms | errors | CPU µs/req | CPU cores | upstream µs/req | machine busy | load avg |
                |---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|
                """);
        for (Measurement m : measurements) {
            md.append(String.format("| %s | %s | %d | %.0f | %s | %s | %s | %d | %.1f | %.2f | %s | %.0f%% | %s |%n",
                    m.target(), m.protocol(), m.concurrency(), m.load().requestsPerSecond(), ms(m.load().p50Micros()),
                    ms(m.load().p99Micros()), ms(m.load().meanMicros()), m.load().errors(), m.cpuMicrosPerRequest(),
                    m.cpuCores(), Report.num(m.upstreamCpuMicrosPerRequest()), m.machineBusyPercent(),
                    m.loadAverage()));
        }
        threads(md, measurements);
        md.append("\n## Ratios against nginx as reverse proxy (same run)\n\n")
                .append("Target of issue 3: the gateway's CPU per request at most ").append(Report.CPU_TARGET)
                .append("× nginx's, with static tokens (gateway) and with OIDC (gateway-oidc, issue 5).\n\n")
                .append("| target | protocol | concurrency | CPU/req ÷ nginx | latency ÷ nginx | req/s ÷ nginx | CPU target |\n")
                .append("|---|---|---:|---:|---:|---:|---|\n");
        for (Report.Ratio r : ratios) {
            boolean targeted = r.target().equals("gateway") || r.target().equals(LoadHarness.OIDC);
            md.append(String.format("| %s | %s | %d | %.2f | %.2f (%s) | %.2f | %s |%n", r.target(), r.protocol(),
                    r.concurrency(), r.cpuPerRequest(), r.latency(), r.latencyMeasure(), r.requestsPerSecond(),
                    targeted ? (r.meetsCpuTarget() ? "met" : "missed") : "-"));
        }
        if (!streaming.isEmpty()) {
            md.append("\n## Streaming through the gateway\n\n")
                    .append("| check | status | MiB | seconds | MiB/s | first byte s | RSS before MiB | RSS peak MiB |\n")
                    .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (StreamingCheck.Result r : streaming) {
                md.append(String.format("| %s | %d | %.0f | %.2f | %.0f | %.3f | %s | %s |%n", r.check(), r.status(),
                        r.bytes() / 1048576.0, r.seconds(), r.bytes() / r.seconds() / 1048576.0, r.firstByteSeconds(),
                        Report.mib(r.rssBeforeKib()), Report.mib(r.rssPeakKib())));
            }
        }
        if (durableWait != null) {
            md.append("\n## Gateway: wait until each request's event is durable, at a fixed rate\n\n")
                    .append("From the gateway's gatehouse_audit_durable_wait histogram, scraped before and after h2load ")
                    .append("paced the requests; each percentile is the histogram bucket it falls in (ms).\n\n")
                    .append(Report.line(durableWait)).append("\n");
        }
        if (durableControl != null) {
            md.append("\nThe control, right after: the same paced load on the gateway whose log acknowledges without ")
                    .append("writing, beside a separate JVM that makes events of the same rate durable with nothing ")
                    .append("else to do (IdealLogMain: one O_DSYNC write per batch into a zero-filled file; exact ")
                    .append("percentiles). What it waits is the least any log could wait on this machine in that run.\n\n")
                    .append(Report.line(durableControl)).append("\n");
        }
        if (profile != null) {
            md.append("\n## Gateway profile\n\n```\n").append(profile).append("```\n");
        }
        return md.toString();
    }

    /** CPU per request by thread name for targets that have named threads (the gateway JVM). */
    private static void threads(StringBuilder md, List<Measurement> measurements) {
        for (Measurement m : measurements) {
            if (m.threadCpuMicrosPerRequest().isEmpty()) {
                continue;
            }
            md.append(String.format("%n%s %s c=%d, CPU µs/req by thread: ", m.target(), m.protocol(), m.concurrency()));
            md.append(String.join(", ", m.threadCpuMicrosPerRequest().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).toList())).append('\n');
        }
    }

    private static String ms(double micros) {
        return Double.isNaN(micros) ? "-" : String.format("%.2f", micros / 1000);
    }
}
