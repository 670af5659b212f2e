package dev.gatehouse.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;

import dev.gatehouse.sandbox.Sandbox;
import dev.gatehouse.sandbox.SandboxOptions;
import dev.gatehouse.sandbox.seed.Seed;

/**
 * The session bridge under load (exec over WebSocket v5 through the gateway, against the same sessions straight
 * from the sandbox cluster in the same run):
 *
 * <ol>
 *   <li><b>stream</b>: N MiB through {@code cat} (stdin to stdout, recording on), via the gateway and directly,
 *       for two lengths; the gateway JVM's RSS before, at most during, and after each;</li>
 *   <li><b>idle</b>: a fresh gateway JVM holding {@code --idle-sessions} idle {@code cat} sessions; RSS before and
 *       with all open, bytes per session;</li>
 *   <li><b>churn</b>: short {@code true} sessions open-run-close at some concurrency for a fixed time, directly and
 *       via the gateway; sessions/s and the gateway's CPU seconds (utime + stime) per session.</li>
 * </ol>
 *
 * The sandbox runs in this JVM (its own Vert.x, 2 event loops), so do the clients (another Vert.x); the gateway runs
 * in its own JVM as deployed ({@code java -jar gatehouse.jar serve --config FILE}) under coreutils {@code timeout},
 * stopped by pid. All on 127.0.0.1. Writes {@code sessions-<date>-<time>.md} to the results directory.
 */
public final class SessionBench {
    private static final String NAMESPACE = "prod";
    private static final String CLUSTER = "sandbox";
    private static final int CHUNK = 32 * 1024;
    private static final Duration GATEWAY_LIMIT = Duration.ofMinutes(15);

    private final SessionBenchOptions options;
    private final Fixture fixture;
    private final Sandbox sandbox;
    private final Vertx vertx;
    private final String pod;
    private final StringBuilder md = new StringBuilder();
    private int gateways;

    private SessionBench(SessionBenchOptions options, Fixture fixture, Sandbox sandbox, Vertx vertx) {
        this.options = options;
        this.fixture = fixture;
        this.sandbox = sandbox;
        this.vertx = vertx;
        this.pod = Seed.WEB_PODS.get(NAMESPACE).get(0);
    }

    public static void main(String[] args) throws Exception {
        // this JVM's own libraries (Netty, Vert.x, the sandbox) log at WARN; the gateway logs to its own file
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        SessionBenchOptions options;
        try {
            options = SessionBenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path work = options.work() != null ? options.work() : Files.createTempDirectory("gatehouse-session-bench-");
        Files.createDirectories(work);
        Fixture fixture = Fixture.create(work);
        Path sandboxDir = Files.createDirectories(work.resolve("sandbox"));
        Sandbox sandbox = Sandbox.start(SandboxOptions.builder().certificateDirectory(sandboxDir).recordCapacity(2000)
                .build());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        BenchRuns.runAndExit("session bench", work, options.work() != null, sandbox, vertx,
                () -> new SessionBench(options, fixture, sandbox, vertx).run());
    }

    private Path run() throws Exception {
        String started = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
        md.append("# Session bench ").append(started).append("\n\n");
        Map<String, String> env = BenchRuns.environment();
        env.put("fileDescriptorLimit", Tools.firstLine(List.of("sh", "-c", "ulimit -n")));
        env.put("gatewayLaunch", "java " + String.join(" ", options.gatewayJvm()) + " -jar " + options.gatewayJar()
                + " serve --config FILE");
        env.put("upstream", "in-process sandbox cluster in the bench JVM (Vert.x, 2 event loops), exec over WebSocket"
                + " v5 to pod " + NAMESPACE + "/" + pod);
        env.put("client", "Vert.x WebSocketClient in the bench JVM (2 event loops), " + ExecClient.PROTOCOL
                + ", bearer token, a new TLS connection per session");
        BenchRuns.appendEnvironment(md, env);
        ExecClient direct = new ExecClient(vertx, sandbox.caFile(), sandbox.port(), "", sandbox.adminToken());
        try {
            if (options.phases().contains("stream")) {
                stream(direct);
            }
            if (options.phases().contains("idle") || options.phases().contains("churn")) {
                try (Child gateway = startGateway(options.gatewayJvm())) {
                    ExecClient via = gatewayClient(gateway);
                    if (options.phases().contains("idle")) {
                        idle(gateway, via);
                    }
                    if (options.phases().contains("churn")) {
                        churn(gateway, via, direct);
                    }
                }
            }
        } finally {
            direct.close();
        }
        md.append("\nLoad average at the end: ").append(ProcStat.loadAverage()).append('\n');
        Files.createDirectories(options.results());
        Path report = options.results().resolve("sessions-" + started + ".md");
        Files.writeString(report, md.toString());
        return report;
    }

    // ---------------------------------------------------------------------------------------------- stream

    private void stream(ExecClient direct) throws Exception {
        md.append("\n## 1. Stream through `cat` (stdin → stdout), recording on\n\n");
        try (Child gateway = startGateway(options.streamGatewayJvm())) {
            ExecClient via = gatewayClient(gateway);
            long pid = gateway.mainPid();
            long self = ProcessHandle.current().pid();
            // warm-up, unmeasured: the JIT compiles the relay and the recorder
            for (int i = 0; i < 4; i++) {
                if (i < 2) {
                    await(direct.streamThroughCat(NAMESPACE, pod, 32L << 20, CHUNK, options.window()), 120);
                }
                await(via.streamThroughCat(NAMESPACE, pod, 32L << 20, CHUNK, options.window()), 120);
            }
            md.append("Window ").append(options.window()).append(" bytes in flight, ").append(CHUNK)
                    .append("-byte stdin messages; warm-up first, unmeasured: 4 × 32 MiB through the gateway, 2 × 32 MiB direct. "
                    + "Each row: direct first, then the gateway, one session each.\n\n");
            md.append("Gateway JVM: `java " + String.join(" ", options.streamGatewayJvm()) + " -jar … serve` (a small"
                    + " heap, as the load harness's streaming checks: a stream held whole could not fit). CPU columns"
                    + " are ms per MiB streamed: the gateway JVM's, and the bench JVM's (client and sandbox) during the"
                    + " direct and the gateway session.\n\n");
            md.append("| MiB | round | direct MiB/s | gateway MiB/s | gateway ÷ direct | gateway RSS before → max during"
                    + " → after (MiB) | gateway CPU ms/MiB | bench JVM ms/MiB direct | bench JVM ms/MiB via gateway"
                    + " | load avg |\n|---:|---:|---:|---:|---:|---|---:|---:|---:|---|\n");
            Map<Integer, List<Double>> ratios = new LinkedHashMap<>();
            List<String> threadNotes = new ArrayList<>();
            for (int mib : options.streamMebibytes()) {
                for (int round = 1; round <= options.rounds(); round++) {
                    String load = ProcStat.loadAverage();
                    long bytes = (long) mib << 20;
                    long selfBefore = ProcStat.cpuMicros(List.of(self));
                    ExecClient.StreamResult d = await(direct.streamThroughCat(NAMESPACE, pod, bytes, CHUNK,
                            options.window()), 600);
                    long selfDirect = ProcStat.cpuMicros(List.of(self)) - selfBefore;
                    selfBefore = ProcStat.cpuMicros(List.of(self));
                    long rssBefore = ProcStat.rssKib(pid);
                    long cpuBefore = ProcStat.cpuMicros(List.of(pid));
                    Map<String, Long> threadsBefore = ProcStat.threadCpuMicros(pid);
                    RssSampler sampler = RssSampler.start(pid);
                    ExecClient.StreamResult g = await(via.streamThroughCat(NAMESPACE, pod, bytes, CHUNK,
                            options.window()), 600);
                    // the recorder may still be writing what it was handed: sample a moment longer
                    long selfVia = ProcStat.cpuMicros(List.of(self)) - selfBefore;
                    Child.sleep(1000);
                    long max = sampler.stop();
                    long rssAfter = ProcStat.rssKib(pid);
                    long cpu = ProcStat.cpuMicros(List.of(pid)) - cpuBefore;
                    // CPU ms per MiB streamed, by thread name
                    threadNotes.add(mib + " MiB round " + round + ": " + ProcStat.perRequest(threadsBefore,
                            ProcStat.threadCpuMicros(pid), mib * 1000L));
                    double ratio = g.mebibytesPerSecond() / d.mebibytesPerSecond();
                    ratios.computeIfAbsent(mib, k -> new ArrayList<>()).add(ratio);
                    md.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %.1f | %.2f | %.0f → %.0f → %.0f | %.1f | %.1f | %.1f | %s |%n",
                            mib, round, d.mebibytesPerSecond(), g.mebibytesPerSecond(), ratio, rssBefore / 1024.0,
                            max / 1024.0, rssAfter / 1024.0, cpu / 1e3 / mib, selfDirect / 1e3 / mib,
                            selfVia / 1e3 / mib, load));
                    System.err.printf(Locale.ROOT, "stream %d MiB round %d: direct %.1f, gateway %.1f MiB/s (%.2f),"
                            + " RSS %d -> %d -> %d KiB%n", mib, round, d.mebibytesPerSecond(),
                            g.mebibytesPerSecond(), ratio, rssBefore, max, rssAfter);
                }
            }
            md.append("\nGateway ÷ direct throughput, by length: ");
            ratios.forEach((mib, r) -> md.append(mib).append(" MiB ")
                    .append(r.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList()).append("; "));
            md.append("\n\nGateway CPU ms per MiB streamed, by thread (`/proc/PID/task/*/stat`):\n\n");
            threadNotes.forEach(n -> md.append("- ").append(n).append('\n'));
            md.append("\nThe stream gateway's data directory (recordings and audit log) at the end: ")
                    .append(String.format(Locale.ROOT, "%.0f MiB", directoryBytes(fixture.dir.resolve("gateway-"
                            + gateways + "-data")) / 1048576.0)).append(".\n");
        }
    }

    // ---------------------------------------------------------------------------------------------- idle

    private void idle(Child gateway, ExecClient via) throws Exception {
        int n = options.idleSessions();
        md.append("\n## 2. ").append(n).append(" idle `cat` sessions held open through a fresh gateway JVM\n\n");
        long pid = gateway.mainPid();
        // a few sessions first, so the classes of the session path are loaded before the "before" sample
        for (int i = 0; i < 20; i++) {
            await(via.run(NAMESPACE, pod, "true").toCompletionStage().toCompletableFuture(), 60);
        }
        Child.sleep(2000);
        String loadBefore = ProcStat.loadAverage();
        long before = ProcStat.rssKib(pid);
        long openStart = System.nanoTime();
        List<WebSocket> open = openIdle(via, n, options.openConcurrency());
        double openSeconds = (System.nanoTime() - openStart) / 1e9;
        Child.sleep(3000);
        long with = ProcStat.rssKib(pid);
        String loadWith = ProcStat.loadAverage();
        String fds = describeFds(pid);
        // close them as kubectl would at the end of its input: stdin closed, cat ends, the session ends
        long closeStart = System.nanoTime();
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        for (WebSocket ws : open) {
            CompletableFuture<Void> c = new CompletableFuture<>();
            ws.closeHandler(v -> c.complete(null));
            closed.add(c);
            vertx.runOnContext(v -> ExecClient.closeStdin(ws));
        }
        int notClosed = 0;
        for (CompletableFuture<Void> c : closed) {
            try {
                c.get(Math.max(1, 60_000_000_000L - (System.nanoTime() - closeStart)), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                notClosed++;
            }
        }
        Child.sleep(3000);
        long after = ProcStat.rssKib(pid);
        md.append("| figure | value |\n|---|---:|\n");
        row("sessions open at once", Integer.toString(open.size()));
        row("time to open them (" + options.openConcurrency() + " at a time)", fmt("%.1f s", openSeconds));
        row("gateway RSS before (JVM up, 20 short sessions run)", fmt("%.1f MiB", before / 1024.0));
        row("gateway RSS with all open (3 s after the last)", fmt("%.1f MiB", with / 1024.0));
        row("**RSS per idle session**", fmt("**%.1f KiB**", (with - before) / (double) Math.max(1, open.size())));
        row("gateway RSS 3 s after they all ended", fmt("%.1f MiB", after / 1024.0));
        row("gateway open file descriptors with all open", fds);
        row("sessions that did not end within 60 s of closing stdin", Integer.toString(notClosed));
        row("load average before / with all open", loadBefore + " / " + loadWith);
        row("goal", "≤ 256 MiB RSS with 1,000 open");
        System.err.printf(Locale.ROOT, "idle: %d sessions, RSS %d -> %d KiB (%.1f KiB each), after %d KiB%n",
                open.size(), before, with, (with - before) / (double) Math.max(1, open.size()), after);
    }

    private List<WebSocket> openIdle(ExecClient via, int n, int concurrency) throws Exception {
        List<WebSocket> open = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong next = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        CompletableFuture<Void> all = new CompletableFuture<>();
        AtomicLong finished = new AtomicLong();
        Runnable[] starter = new Runnable[1];
        starter[0] = () -> {
            if (next.getAndIncrement() >= n) {
                return;
            }
            via.open(NAMESPACE, pod, "command=cat&stdin=true&stdout=true&stderr=true").onComplete(ar -> {
                if (ar.succeeded()) {
                    open.add(ar.result());
                } else if (failures.incrementAndGet() <= 3) {
                    System.err.println("idle: open failed: " + ar.cause());
                }
                if (finished.incrementAndGet() == n) {
                    all.complete(null);
                } else {
                    starter[0].run();
                }
            });
        };
        vertx.runOnContext(v -> {
            for (int i = 0; i < concurrency; i++) {
                starter[0].run();
            }
        });
        all.get(300, TimeUnit.SECONDS);
        if (failures.get() > 0) {
            md.append("**").append(failures.get()).append(" of ").append(n).append(" sessions failed to open.**\n\n");
        }
        return open;
    }

    // ---------------------------------------------------------------------------------------------- churn

    private void churn(Child gateway, ExecClient via, ExecClient direct) throws Exception {
        md.append("\n## 3. New sessions: `true` open-run-close, ").append(options.churnConcurrency())
                .append(" at a time\n\n");
        long pid = gateway.mainPid();
        loop(via, options.churnWarmup(), options.churnConcurrency()); // warm-up, unmeasured
        String loadDirect = ProcStat.loadAverage();
        Churn d = loop(direct, options.churnSeconds(), options.churnConcurrency());
        String loadGateway = ProcStat.loadAverage();
        long cpuBefore = ProcStat.cpuMicros(List.of(pid));
        Map<String, Long> threadsBefore = ProcStat.threadCpuMicros(pid);
        long[] machineBefore = ProcStat.machineJiffies();
        Churn g = loop(via, options.churnSeconds(), options.churnConcurrency());
        long cpu = ProcStat.cpuMicros(List.of(pid)) - cpuBefore;
        double busy = ProcStat.busyPercent(machineBefore, ProcStat.machineJiffies());
        Map<String, Double> threads = ProcStat.perRequest(threadsBefore, ProcStat.threadCpuMicros(pid), g.ok);
        double cpuSeconds = cpu / 1e6;
        md.append("| path | sessions | failed | sessions/s | gateway CPU s | sessions per gateway CPU-second | "
                + "gateway CPU ms/session | load avg at start |\n|---|---:|---:|---:|---:|---:|---:|---|\n");
        md.append(fmt("| direct (sandbox) | %d | %d | %.1f | – | – | – | %s |%n", d.ok, d.failed, d.perSecond(),
                loadDirect));
        md.append(fmt("| gateway | %d | %d | %.1f | %.2f | %.1f | %.2f | %s |%n", g.ok, g.failed, g.perSecond(),
                cpuSeconds, g.ok / cpuSeconds, 1000 * cpuSeconds / Math.max(1, g.ok), loadGateway));
        md.append(fmt("%nGateway ÷ direct sessions/s: **%.2f**. Whole machine busy during the gateway run: %.0f %%. "
                + "Gateway CPU per session by thread (µs): %s.%n", g.perSecond() / d.perSecond(), busy, threads));
        md.append("\nSessions per gateway CPU-second is the figure to hold against \"≥ 100/s per core\": on this "
                + "machine the bench's own JVM (client and sandbox) shares the 2 cores with the gateway, so "
                + "sessions/s is a lower bound.\n");
        System.err.printf(Locale.ROOT, "churn: direct %.1f/s, gateway %.1f/s, %.2f CPU s -> %.1f sessions per CPU-s%n",
                d.perSecond(), g.perSecond(), cpuSeconds, g.ok / cpuSeconds);
        if (!g.firstError.isEmpty() || !d.firstError.isEmpty()) {
            md.append("\nFirst failure: direct `").append(d.firstError).append("`, gateway `").append(g.firstError)
                    .append("`\n");
        }
    }

    private record Churn(long ok, long failed, double seconds, String firstError) {
        double perSecond() {
            return ok / seconds;
        }
    }

    /** {@code concurrency} loops of open-run-close {@code true} for {@code seconds}. */
    private Churn loop(ExecClient client, int seconds, int concurrency) throws Exception {
        if (seconds == 0) {
            return new Churn(0, 0, 1, "");
        }
        AtomicLongArray counts = new AtomicLongArray(2);
        AtomicBoolean stop = new AtomicBoolean();
        StringBuffer firstError = new StringBuffer();
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            loops.add(done);
            vertx.runOnContext(v -> next(client, stop, counts, firstError, done));
        }
        Child.sleep(seconds * 1000L);
        stop.set(true);
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Churn(counts.get(0), counts.get(1), elapsed, firstError.toString());
    }

    private void next(ExecClient client, AtomicBoolean stop, AtomicLongArray counts, StringBuffer firstError,
                      CompletableFuture<Void> done) {
        if (stop.get()) {
            done.complete(null);
            return;
        }
        Future<String> run = client.run(NAMESPACE, pod, "true");
        run.onComplete(ar -> {
            if (ar.succeeded() && ar.result().contains("Success")) {
                counts.incrementAndGet(0);
            } else {
                counts.incrementAndGet(1);
                if (firstError.isEmpty()) {
                    firstError.append(ar.succeeded() ? "status " + ar.result() : String.valueOf(ar.cause()));
                }
            }
            next(client, stop, counts, firstError, done);
        });
    }

    // ---------------------------------------------------------------------------------------------- gateway

    /** A gateway JVM of its own in front of the sandbox, recording sessions, as deployed. */
    private Child startGateway(List<String> jvm) throws IOException {
        gateways++;
        String name = "gateway-" + gateways;
        int port = Fixture.freePort();
        Path token = fixture.dir.resolve("sandbox-token");
        Files.writeString(token, sandbox.token() + "\n");
        Path config = fixture.dir.resolve(name + ".yaml");
        // relative paths are the fixture's (gateway.crt, tokens.csv); the recording limit is raised so the
        // longest stream is recorded whole
        Files.writeString(config, """
                listen: {address: 127.0.0.1, port: %d, certFile: gateway.crt, keyFile: gateway.key}
                dataDir: %s-data
                upstreamTimeout: PT30S
                authentication:
                  staticTokenFile: tokens.csv
                audit:
                  sessions: {maxRecordingBytes: 2000000000, idleTimeout: PT1H}
                clusters:
                  - {name: %s, server: "%s", caFile: "%s", tokenFile: "%s"}
                """.formatted(port, name, CLUSTER, sandbox.url(), sandbox.caFile(), token));
        List<String> command = new ArrayList<>();
        command.add(Processes.JAVA);
        command.addAll(jvm);
        command.add("-Dlogback.configurationFile=" + fixture.logbackConfig(name));
        command.addAll(List.of("-jar", options.gatewayJar().toString(), "serve", "--config", config.toString()));
        System.err.println("session bench: starting " + name + " on port " + port);
        return Child.start(name, command, fixture.dir.resolve(name + ".out"), GATEWAY_LIMIT)
                .awaitPort(port, Duration.ofSeconds(60));
    }

    private ExecClient gatewayClient(Child gateway) throws IOException {
        String yaml = Files.readString(fixture.dir.resolve(gateway.name() + ".yaml"));
        int port = Integer.parseInt(yaml.replaceAll("(?s).*port: (\\d+),.*", "$1"));
        return new ExecClient(vertx, fixture.gatewayTls.ca(), port, "/clusters/" + CLUSTER, Fixture.CLIENT_TOKEN);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** Samples a process's RSS every 20 ms on a virtual thread and keeps the largest. */
    private static final class RssSampler {
        private final AtomicLong max = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private Thread thread;

        static RssSampler start(long pid) {
            RssSampler s = new RssSampler();
            s.thread = Thread.ofVirtual().start(() -> {
                while (!s.stop.get()) {
                    s.max.accumulateAndGet(ProcStat.rssKib(pid), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            return s;
        }

        long stop() throws InterruptedException {
            stop.set(true);
            thread.join();
            return max.get();
        }
    }

    private static <T> T await(CompletableFuture<T> future, int seconds) throws Exception {
        return future.get(seconds, TimeUnit.SECONDS);
    }

    /** The process's open file descriptors: how many, how many are sockets, and how many are files by suffix. */
    private static String describeFds(long pid) {
        Map<String, Integer> kinds = new java.util.TreeMap<>();
        int total = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                total++;
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    continue;
                }
                String kind = target.startsWith("socket:") ? "socket" : target.startsWith("anon_inode:")
                        ? target : target.startsWith("/") ? "file *" + target.substring(Math.max(
                        target.lastIndexOf('/'), target.lastIndexOf('.'))).replaceAll("[0-9a-f-]{8,}", "") : "other";
                kinds.merge(kind, 1, Integer::sum);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return total + " " + kinds;
    }

    private static long directoryBytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private void row(String name, String value) {
        md.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
