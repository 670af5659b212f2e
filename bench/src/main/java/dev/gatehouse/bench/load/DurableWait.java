package dev.gatehouse.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatehouse.listen.PemTrust;

/**
 * Gatehouse issue 4's latency target, measured in the gateway rather than the log alone: h2load sends requests at
 * a fixed rate, and the gateway's own histogram of how long each request's event waited to be durable
 * ({@code gatehouse_audit_durable_wait}) is scraped from {@code /metrics} before and after. Percentiles come from
 * the histogram's buckets, so each is given as the bucket it falls in: {@code (lower, upper]}.
 */
final class DurableWait {
    private static final String METRIC = "gatehouse_audit_durable_wait_seconds";
    private static final Pattern BUCKET = Pattern.compile(
            "^" + METRIC + "_bucket\\{le=\"([^\"]+)\"} ([0-9.eE+-]+)$", Pattern.MULTILINE);
    private static final Pattern REQUESTS = Pattern.compile(
            "requests: \\d+ total, \\d+ started, (\\d+) done, (\\d+) succeeded");

    /** The run's outcome; times in milliseconds. */
    record Result(int rate, double seconds, long requests, long succeeded, long events, double[] p50, double[] p99,
                  double[] p999) {
        double achievedRate() {
            return requests / seconds;
        }
    }

    /** The control's outcome: the ideal log's exact percentiles (ms) while the log-less gateway took the load. */
    record Control(int rate, double seconds, long requests, long succeeded, int eventBytes, long events, long commits,
                   double p50, double p99, double p999, double max) {
        double achievedRate() {
            return requests / seconds;
        }
    }

    static final Pattern IDEAL = Pattern.compile("ideal log: (\\d+) events, p50 ([0-9.]+) ms, p99 ([0-9.]+) ms, "
            + "p99\\.9 ([0-9.]+) ms, max ([0-9.]+) ms, (\\d+) commits");

    private DurableWait() {
    }

    /**
     * The mean size of the events in an audit log directory, newline included (the live segment's NUL padding
     * is not counted): what the control's ideal log writes per event.
     */
    static int meanEventBytes(Path auditDir) throws IOException {
        long lines = 0;
        long bytes = 0;
        try (DirectoryStream<Path> segments = Files.newDirectoryStream(auditDir, "segment-*.jsonl")) {
            for (Path segment : segments) {
                byte[] all = Files.readAllBytes(segment);
                int end = all.length;
                while (end > 0 && all[end - 1] == 0) {
                    end--;
                }
                bytes += end;
                for (int i = 0; i < end; i++) {
                    if (all[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        if (lines == 0) {
            throw new IllegalStateException("no events in " + auditDir);
        }
        return Math.toIntExact(bytes / lines);
    }

    /**
     * The control for {@link #measure}: the same paced load on {@code bare} (the gateway whose log acknowledges
     * without writing) while {@link IdealLogMain}, in a JVM of its own, commits {@code eventBytes} per event at the
     * same rate into a file in {@code dir}. Same machine, same neighbours, a log that does nothing but the durable
     * write: what it waits is the least the gateway's log could wait in that run.
     */
    static Control control(Path dir, Target bare, List<String> java, int rate, int eventBytes, Duration warmup,
                           Duration duration) {
        if (!warmup.isZero()) {
            pace(dir, bare, rate, warmup, "control-warm-up");
        }
        List<String> command = new ArrayList<>(java);
        command.addAll(List.of(IdealLogMain.class.getName(), dir.resolve("ideal-log.dat").toString(),
                Integer.toString(rate), Long.toString(duration.toSeconds()), Integer.toString(eventBytes)));
        try (Child ideal = Child.start("ideal-log", command, dir.resolve("ideal-log.out"), duration.plusMinutes(2))) {
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!ideal.output().contains("ideal log: ready")) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("the ideal log did not get ready:\n" + ideal.tail());
                }
                Child.sleep(50);
            }
            String out = pace(dir, bare, rate, duration, "control");
            int exit = ideal.await(Duration.ofSeconds(60));
            Matcher m = IDEAL.matcher(ideal.output());
            Matcher requests = REQUESTS.matcher(out);
            Matcher finished = H2load.FINISHED.matcher(out);
            if (exit != 0 || !m.find() || !requests.find() || !finished.find()) {
                throw new IllegalStateException("control run: ideal log exited with " + exit + ":\n" + ideal.tail()
                        + "\nh2load:\n" + out);
            }
            return new Control(rate, H2load.seconds(finished), Long.parseLong(requests.group(1)),
                    Long.parseLong(requests.group(2)), eventBytes, Long.parseLong(m.group(1)),
                    Long.parseLong(m.group(6)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                    Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)));
        }
    }

    /**
     * Loads {@code target} (the gateway with audit on) at {@code rate} requests/s, first for {@code warmup}
     * unmeasured, then for {@code duration}: 10 h2 connections, each paced at a tenth of the rate with up to 8
     * streams in flight.
     */
    static Result measure(Path dir, Target target, String metricsUrl, Path caFile, int rate, Duration warmup,
                          Duration duration) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(PemTrust.sslContext(caFile))
                .connectTimeout(Duration.ofSeconds(10)).build();
        if (!warmup.isZero()) {
            // The same load first: measured cold, the JIT compiles the paced h2 path during the run and the
            // writer competes with the compiler threads for the two cores (p99 3.5-5.6 ms instead of 1-1.4 ms).
            pace(dir, target, rate, warmup, "warm-up");
        }
        Map<Double, Double> before = buckets(client, metricsUrl);
        String out = pace(dir, target, rate, duration, "measured");
        Matcher requests = REQUESTS.matcher(out);
        Matcher finished = H2load.FINISHED.matcher(out);
        if (!requests.find() || !finished.find()) {
            throw new IllegalStateException("paced h2load printed no totals:\n" + out);
        }
        Thread.sleep(200); // the last events' waits are recorded as they become durable
        Map<Double, Double> after = buckets(client, metricsUrl);
        TreeMap<Double, Double> delta = new TreeMap<>();
        after.forEach((le, count) -> delta.put(le, count - before.getOrDefault(le, 0.0)));
        double seconds = H2load.seconds(finished);
        long events = Math.round(delta.lastEntry().getValue());
        return new Result(rate, seconds, Long.parseLong(requests.group(1)), Long.parseLong(requests.group(2)), events,
                quantile(delta, 0.50), quantile(delta, 0.99), quantile(delta, 0.999));
    }

    /** Runs h2load at {@code rate} for {@code duration}; returns its output. */
    private static String pace(Path dir, Target target, int rate, Duration duration, String run) {
        int clients = 10;
        List<String> command = H2load.command(target, duration, "-c", Integer.toString(clients), "-t", "1", "-m", "8",
                "--rps", Integer.toString(rate / clients));
        Child h2load = Child.start("h2load-paced", command, dir.resolve("h2load-paced-" + run + ".out"),
                duration.plusSeconds(30));
        int exit = h2load.await(duration.plusSeconds(40));
        if (exit != 0) {
            throw new IllegalStateException("paced h2load (" + run + ") exited with " + exit + ":\n" + h2load.tail());
        }
        return h2load.output();
    }

    /** The bucket {@code (lower, upper]} in ms holding the {@code q} quantile of the cumulative counts. */
    static double[] quantile(TreeMap<Double, Double> cumulative, double q) {
        double total = cumulative.lastEntry().getValue();
        double lower = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= q * total) {
                return new double[] {lower * 1e3, e.getKey() * 1e3};
            }
            lower = e.getKey();
        }
        return new double[] {lower * 1e3, Double.POSITIVE_INFINITY};
    }

    private static Map<Double, Double> buckets(HttpClient client, String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + Fixture.CLIENT_TOKEN).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        Map<Double, Double> buckets = new TreeMap<>();
        Matcher m = BUCKET.matcher(response.body());
        while (m.find()) {
            double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
            buckets.put(le, Double.parseDouble(m.group(2)));
        }
        if (buckets.isEmpty()) {
            throw new IllegalStateException(url + " has no " + METRIC + " histogram");
        }
        return buckets;
    }
}
