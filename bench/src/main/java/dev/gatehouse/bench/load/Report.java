package dev.gatehouse.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The run's results: a table on standard output, and {@code load-<date>-<time>.json} and {@code .md} in the
 * results directory, with the ratios against nginx as reverse proxy measured in the same run.
 */
final class Report {
    static final String BASELINE = "nginx-proxy";
    /** The target of Gatehouse issue 3: the gateway's CPU per request within this factor of nginx's. */
    static final double CPU_TARGET = 2.0;

    private final HarnessOptions options;
    private final Map<String, String> environment;
    private final List<Measurement> measurements = new ArrayList<>();
    private List<StreamingCheck.Result> streaming = List.of();
    private String profile;
    private DurableWait.Result durableWait;
    private DurableWait.Control durableControl;

    Report(HarnessOptions options, Map<String, String> environment) {
        this.options = options;
        this.environment = environment;
    }

    void add(Measurement m) {
        measurements.add(m);
    }

    void streaming(List<StreamingCheck.Result> results) {
        streaming = results;
    }

    void profile(String text) {
        profile = text;
    }

    void durableWait(DurableWait.Result result) {
        durableWait = result;
    }

    void durableControl(DurableWait.Control control) {
        durableControl = control;
    }

    /** Prints the tables and writes the JSON and Markdown files; returns the Markdown file. */
    Path write() throws IOException {
        environment.put("loadAverageAtEnd", ProcStat.loadAverage());
        String markdown = Markdown.render(environment, measurements, ratios(), streaming, durableWait, durableControl,
                profile);
        System.out.println();
        System.out.println(markdown);
        Files.createDirectories(options.resultsDir());
        String stem = "load-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
        Path md = options.resultsDir().resolve(stem + ".md");
        Files.writeString(md, markdown);
        Path json = options.resultsDir().resolve(stem + ".json");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("environment", environment);
        doc.put("measurements", measurements.stream().map(Report::json).toList());
        doc.put("ratios", ratios().stream().map(Report::json).toList());
        doc.put("streaming", streaming);
        if (durableWait != null) {
            doc.put("durableWait", json(durableWait));
        }
        if (durableControl != null) {
            doc.put("durableWaitControl", durableControl);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
        System.out.println("wrote " + md + " and " + json);
        return md;
    }

    /** One proxy against nginx at one protocol and concurrency. */
    record Ratio(String target, String protocol, int concurrency, double cpuPerRequest, double latency,
                 String latencyMeasure, double requestsPerSecond) {
        boolean meetsCpuTarget() {
            return cpuPerRequest <= CPU_TARGET;
        }
    }

    List<Ratio> ratios() {
        List<Ratio> ratios = new ArrayList<>();
        for (Measurement m : measurements) {
            if (m.target().equals(BASELINE) || m.target().equals("direct")) {
                continue;
            }
            find(BASELINE, m.protocol(), m.concurrency()).ifPresent(base -> {
                boolean h1 = !Double.isNaN(m.load().p99Micros());
                ratios.add(new Ratio(m.target(), m.protocol(), m.concurrency(),
                        m.cpuMicrosPerRequest() / base.cpuMicrosPerRequest(),
                        h1 ? m.load().p99Micros() / base.load().p99Micros()
                                : m.load().meanMicros() / base.load().meanMicros(),
                        h1 ? "p99" : "mean", m.load().requestsPerSecond() / base.load().requestsPerSecond()));
            });
        }
        return ratios;
    }

    private Optional<Measurement> find(String target, String protocol, int concurrency) {
        return measurements.stream().filter(m -> m.target().equals(target) && m.protocol().equals(protocol)
                && m.concurrency() == concurrency).findFirst();
    }

    /** One line for the console while the run goes on. */
    static String line(Measurement m) {
        return String.format("%-14s %-8s c=%-3d %9.0f req/s  p50 %s  p99 %s  mean %s  errors %d  CPU %7.1f µs/req"
                        + " (%.2f cores)  upstream %s µs/req  machine %.0f%% busy  load %s",
                m.target(), m.protocol(), m.concurrency(), m.load().requestsPerSecond(), ms(m.load().p50Micros()),
                ms(m.load().p99Micros()), ms(m.load().meanMicros()), m.load().errors(), m.cpuMicrosPerRequest(),
                m.cpuCores(), num(m.upstreamCpuMicrosPerRequest()), m.machineBusyPercent(), m.loadAverage());
    }

    static String line(DurableWait.Result r) {
        return String.format("gateway durable wait at %d req/s (achieved %.0f, %d of %d succeeded, %d events): "
                + "p50 %s ms, p99 %s ms, p99.9 %s ms", r.rate(), r.achievedRate(), r.succeeded(), r.requests(),
                r.events(), bucket(r.p50()), bucket(r.p99()), bucket(r.p999()));
    }

    static String line(DurableWait.Control c) {
        return String.format("control: gateway without its log at %d req/s (achieved %.0f, %d of %d succeeded) beside "
                        + "an ideal log of %d-byte events at the same rate (%d events in %d commits): p50 %.3f ms, "
                        + "p99 %.3f ms, p99.9 %.3f ms, max %.3f ms", c.rate(), c.achievedRate(), c.succeeded(),
                c.requests(), c.eventBytes(), c.events(), c.commits(), c.p50(), c.p99(), c.p999(), c.max());
    }

    /** A percentile read from a histogram: the bucket it falls in. */
    static String bucket(double[] lowerUpper) {
        return String.format("(%.3f, %.3f]", lowerUpper[0], lowerUpper[1]);
    }

    private static Map<String, Object> json(DurableWait.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rate", r.rate());
        m.put("achievedRate", round(r.achievedRate()));
        m.put("requests", r.requests());
        m.put("succeeded", r.succeeded());
        m.put("events", r.events());
        m.put("p50BucketMs", r.p50());
        m.put("p99BucketMs", r.p99());
        m.put("p999BucketMs", r.p999());
        return m;
    }

    static String line(StreamingCheck.Result r) {
        return String.format("%-52s HTTP %d, %d bytes in %.2f s (%.0f MiB/s), first byte after %.3f s,"
                        + " gateway RSS %s -> peak %s MiB",
                r.check(), r.status(), r.bytes(), r.seconds(), r.bytes() / r.seconds() / (1 << 20),
                r.firstByteSeconds(), mib(r.rssBeforeKib()), mib(r.rssPeakKib()));
    }

    /** KiB as whole MiB, or "-" where nothing was sampled. */
    static String mib(long kib) {
        return kib < 0 ? "-" : Long.toString(kib >> 10);
    }

    static String ms(double micros) {
        return Double.isNaN(micros) ? "-" : String.format("%.2f ms", micros / 1000);
    }

    static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.1f", v);
    }

    private static Map<String, Object> json(Measurement m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("target", m.target());
        o.put("protocol", m.protocol());
        o.put("concurrency", m.concurrency());
        o.put("requests", m.load().requests());
        o.put("errors", m.load().errors());
        o.put("seconds", m.load().seconds());
        o.put("requestsPerSecond", round(m.load().requestsPerSecond()));
        o.put("p50Micros", round(m.load().p50Micros()));
        o.put("p99Micros", round(m.load().p99Micros()));
        o.put("meanMicros", round(m.load().meanMicros()));
        o.put("cpuMicrosPerRequest", round(m.cpuMicrosPerRequest()));
        o.put("cpuCores", round(m.cpuCores()));
        o.put("upstreamCpuMicrosPerRequest", round(m.upstreamCpuMicrosPerRequest()));
        o.put("machineBusyPercent", round(m.machineBusyPercent()));
        o.put("loadAverage", m.loadAverage());
        o.put("threadCpuMicrosPerRequest", m.threadCpuMicrosPerRequest());
        return o;
    }

    private static Map<String, Object> json(Ratio r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("target", r.target());
        o.put("versus", BASELINE);
        o.put("protocol", r.protocol());
        o.put("concurrency", r.concurrency());
        o.put("cpuPerRequest", round(r.cpuPerRequest()));
        o.put(r.latencyMeasure() + "Latency", round(r.latency()));
        o.put("requestsPerSecond", round(r.requestsPerSecond()));
        return o;
    }

    private static Double round(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : Math.round(v * 100) / 100.0;
    }
}
