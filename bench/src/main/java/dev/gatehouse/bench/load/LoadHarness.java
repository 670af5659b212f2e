package dev.gatehouse.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.gatehouse.listen.PemTrust;

/**
 * One benchmark run on loopback. Starts a fixed-body nginx upstream and, in front of that same upstream,
 * nginx as a reverse proxy, {@code kubectl proxy} and the gateway (TLS, static-token auth, durable audit log)
 * in a JVM of its own, and the same gateway with OIDC clients; loads each at every concurrency with keep-alive HTTP/1.1 (and h2 where the target
 * speaks it), reads every proxy's CPU time from {@code /proc}, checks that the gateway streams large bodies,
 * and writes the table and the ratios against nginx to {@code bench/results}. Every process it starts is
 * stopped by pid at the end, also on failure, and dies by itself after a time limit in any case.
 */
public final class LoadHarness {
    /** The gateway as {@code gateway}, its clients authenticated by an OIDC ID token (RS256) instead. */
    static final String OIDC = "gateway-oidc";
    /** The diagnostic target: the gateway with an audit log that acknowledges without writing. */
    static final String NO_AUDIT = "gateway-no-audit";
    /** The diagnostic target: the gateway with an audit log that acknowledges from a thread of its own, at once. */
    static final String HANDOFF = "gateway-handoff";
    /** The diagnostic target: as {@link #HANDOFF}, after a wait standing in for the device's latency. */
    static final String WAIT = "gateway-wait";
    /** The diagnostic target: a minimal reverse proxy on the gateway's stack ({@link VertxProxyMain}). */
    static final String VERTX_PROXY = "vertx-proxy";
    private static final int WARMUP_ROUNDS = 6;
    private static final int JIT_QUIET_PERCENT = 5;
    private final HarnessOptions options;
    private final List<Child> children = new ArrayList<>();

    private LoadHarness(HarnessOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        HarnessOptions options;
        try {
            options = HarnessOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LoadHarness harness = new LoadHarness(options);
        Thread stopper = new Thread(harness::stopAll, "stop-children");
        Runtime.getRuntime().addShutdownHook(stopper);
        boolean done = false;
        try {
            harness.run();
            done = true;
        } catch (Exception | Error e) {
            System.err.println("bench: " + e.getMessage());
            if (System.getenv("GATEHOUSE_DEBUG") != null) {
                e.printStackTrace();
            }
        } finally {
            harness.stopAll();
            Runtime.getRuntime().removeShutdownHook(stopper);
            if (done && options.temporaryWork()) {
                deleteTree(options.workDir());
            } else {
                say("work directory with the processes' logs kept: " + options.workDir());
            }
        }
        if (!done) {
            System.exit(1);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void run() throws Exception {
        Report report = new Report(options, Environment.describe(options));
        say("work directory " + options.workDir() + ", load average " + ProcStat.loadAverage());
        Fixture fixture = Fixture.create(options.workDir());
        Duration limit = options.processLimit();
        int upstreamPort = Fixture.freePort();
        Child upstream = started(Nginx.upstream(fixture, upstreamPort, limit));
        int proxyPort = Fixture.freePort();
        Child proxy = started(Nginx.reverseProxy(fixture, proxyPort, upstreamPort, limit));
        int kubectlPort = Fixture.freePort();
        Child kubectl = started(Processes.kubectlProxy(fixture, options.kubectl(), kubectlPort, upstreamPort, limit));
        int gatewayPort = Fixture.freePort();
        Child gateway = started(Processes.gateway(fixture, "gateway", gatewayPort, upstreamPort,
                options.gatewayJvm(), options.gatewayJar(), "durable", null, limit));
        Map<String, String> auth = Map.of("Authorization", "Bearer " + Fixture.CLIENT_TOKEN);
        String path = Fixture.PODS_PATH;
        Target direct = new Target("direct", "https://127.0.0.1:" + upstreamPort + path, Map.of(), upstream, upstream);
        Target nginx = new Target("nginx-proxy", "https://127.0.0.1:" + proxyPort + path, auth, proxy, upstream);
        Target kube = new Target("kubectl-proxy", "http://127.0.0.1:" + kubectlPort + path, Map.of(), kubectl, upstream);
        Target gw = new Target("gateway", "https://127.0.0.1:" + gatewayPort + "/clusters/" + Fixture.CLUSTER + path,
                auth, gateway, upstream);
        List<Target> all = new ArrayList<>(List.of(direct, nginx, kube, gw));
        if (options.targets().contains(OIDC)) {
            Fixture.IdentityProvider idp = fixture.identityProvider(upstreamPort, limit.plusMinutes(10));
            int port = Fixture.freePort();
            Child oidc = started(Processes.gateway(fixture, OIDC, port, upstreamPort, options.gatewayJvm(),
                    options.gatewayJar(), "durable", idp, limit));
            all.add(new Target(OIDC, "https://127.0.0.1:" + port + "/clusters/" + Fixture.CLUSTER + path,
                    Map.of("Authorization", "Bearer " + idp.token()), oidc, upstream));
        }
        Map<String, String> diagnostics = Map.of(NO_AUDIT, "discard", HANDOFF, "handoff:0",
                WAIT, "handoff:" + options.waitMicros());
        for (String name : List.of(NO_AUDIT, HANDOFF, WAIT)) {
            if (options.targets().contains(name)) {
                int port = Fixture.freePort();
                Child child = started(Processes.gateway(fixture, name, port, upstreamPort, options.gatewayJvm(),
                        null, diagnostics.get(name), null, limit));
                all.add(new Target(name, "https://127.0.0.1:" + port + "/clusters/" + Fixture.CLUSTER + path, auth,
                        child, upstream));
            }
        }
        if (options.targets().contains(VERTX_PROXY)) {
            int port = Fixture.freePort();
            Child minimal = started(Processes.vertxProxy(fixture, port, upstreamPort, options.gatewayJvm(), limit));
            all.add(new Target(VERTX_PROXY, "https://127.0.0.1:" + port + path, auth, minimal, upstream));
        }
        List<Target> targets = selected(all);
        for (Target t : targets) {
            probe(fixture, t);
        }
        measure(new Wrk(fixture.dir, options.wrkThreads()), targets, report);
        if (options.h2()) {
            measure(new H2load(fixture.dir), targets.stream().filter(t -> t != kube).toList(), report);
        }
        if (options.durableRate() > 0 && targets.contains(gw)) {
            DurableWait.Result r = DurableWait.measure(fixture.dir, gw, "https://127.0.0.1:" + gatewayPort + "/metrics",
                    fixture.gatewayTls.ca(), options.durableRate(), options.warmup(), options.durableDuration());
            report.durableWait(r);
            say(Report.line(r));
            Target bare = targets.stream().filter(t -> t.name().equals(NO_AUDIT)).findFirst().orElse(null);
            if (bare != null) {
                int eventBytes = DurableWait.meanEventBytes(fixture.dir.resolve("gateway-data").resolve("audit"));
                DurableWait.Control c = DurableWait.control(fixture.dir, bare, Processes.harnessJava(), options.durableRate(),
                        eventBytes, options.warmup(), options.durableDuration());
                report.durableControl(c);
                say(Report.line(c));
            }
        }
        if (options.profile() && targets.contains(gw)) {
            report.profile(GatewayProfile.record(fixture.dir, gateway.mainPid(), new Wrk(fixture.dir, options.wrkThreads()),
                    gw, options.concurrencies().getLast(), options.duration()));
        }
        if (options.streaming()) {
            stopAllBut(upstream); // the streaming checks get the machine to themselves
            report.streaming(streamingChecks(fixture, upstreamPort, limit));
        }
        report.write();
    }

    private void measure(LoadGenerator generator, List<Target> targets, Report report) {
        if (!options.warmup().isZero()) {
            targets.forEach(t -> warmUp(generator, t));
        }
        for (int c : options.concurrencies()) {
            for (Target t : targets) {
                Measurement m = Measurement.take(generator, t, c, options.duration());
                for (int retake = 1; retake < WARMUP_ROUNDS && jitPercent(m) > JIT_QUIET_PERCENT; retake++) {
                    // A new concurrency can make the JIT compile again (seen at c=1 after warming up at 16:
                    // C2 took 20 % of the gateway's CPU); the figures are meant for compiled code.
                    say(String.format("measured again: %s %s c=%d had the JIT at %.0f%% of its CPU", t.name(),
                            generator.protocol(), c, jitPercent(m)));
                    m = Measurement.take(generator, t, c, options.duration());
                }
                report.add(m);
                say(Report.line(m));
            }
        }
    }

    /** The share of a JVM target's CPU its JIT compiler threads took during {@code m} (0 for other targets). */
    static double jitPercent(Measurement m) {
        return jitPercent(m.threadCpuMicrosPerRequest());
    }

    /** The share of the CPU in {@code threads} (CPU by thread name) that JIT compiler threads took. */
    static double jitPercent(Map<String, Double> threads) {
        double total = threads.values().stream().mapToDouble(Double::doubleValue).sum();
        double jit = threads.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                .mapToDouble(Map.Entry::getValue).sum();
        return total > 0 ? 100 * jit / total : 0;
    }

    /**
     * Loads the target at concurrency 16 for the warm-up time; a JVM again (up to {@value #WARMUP_ROUNDS} rounds)
     * while its JIT compiler threads still take more than {@value #JIT_QUIET_PERCENT}% of its CPU.
     */
    private void warmUp(LoadGenerator generator, Target target) {
        for (int round = 1; round <= WARMUP_ROUNDS; round++) {
            long pid = target.measured().mainPid();
            Map<String, Long> before = ProcStat.threadCpuMicros(pid);
            generator.run(target, 16, options.warmup());
            Map<String, Double> threads = ProcStat.perRequest(before, ProcStat.threadCpuMicros(pid), 1);
            double jit = jitPercent(threads);
            say(String.format("warmed up %s (%s, %d s, round %d): JIT %.0f%% of its CPU", target.name(),
                    generator.protocol(), options.warmup().toSeconds(), round, jit));
            if (jit <= JIT_QUIET_PERCENT) {
                return;
            }
        }
    }

    private List<Target> selected(List<Target> targets) {
        return targets.stream().filter(t -> options.targets().contains(t.name())).toList();
    }

    private List<StreamingCheck.Result> streamingChecks(Fixture fixture, int upstreamPort, Duration limit) throws Exception {
        long big = options.streamMegabytes() << 20;
        fixture.largeFile("logs/big.log", big);
        fixture.largeFile("logs/medium.log", 64L << 20);
        fixture.largeFile("logs/slow.log", 4 * Nginx.SLOW_RATE);
        fixture.largeFile("logs/small.log", 1 << 20);
        int port = Fixture.freePort();
        List<String> smallHeap = List.of("-Xms32m", "-Xmx64m", "-XX:MaxDirectMemorySize=64m");
        Child small = started(Processes.gateway(fixture, "gateway-small", port, upstreamPort, smallHeap,
                options.gatewayJar(), "durable", null, limit));
        String gateway = "https://127.0.0.1:" + port + "/clusters/" + Fixture.CLUSTER;
        long pid = small.mainPid();
        StreamingCheck check = new StreamingCheck(fixture.upstreamTls.ca());
        say("streaming checks through a gateway with " + String.join(" ", smallHeap));
        check.fetch("warm-up", gateway, pid, "small", 0);
        String mib = options.streamMegabytes() + " MiB";
        List<StreamingCheck.Result> results = List.of(
                check.fetch("reference: " + mib + " straight from the upstream", "https://127.0.0.1:" + upstreamPort,
                        -1, "big", 0),
                check.fetch("relay " + mib + " as fast as it comes", gateway, pid, "big", 0),
                check.fetch("first byte of a 32 MiB log the upstream sends at 8 MiB/s", gateway, pid, "slow", 0),
                check.fetch("64 MiB to a reader taking 16 MiB/s, upstream unthrottled", gateway, pid, "medium",
                        16L << 20));
        results.forEach(r -> say(Report.line(r)));
        small.close();
        for (String log : List.of("big", "medium", "slow", "small")) {
            Files.deleteIfExists(fixture.dir.resolve("www/logs/" + log + ".log"));
        }
        return results;
    }

    /** One request before loading: the target must answer 200 with the fixed body, or the run stops here. */
    private void probe(Fixture fixture, Target target) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(PemTrust.sslContext(fixture.upstreamTls.ca())).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url())).timeout(Duration.ofSeconds(10));
        target.headers().forEach(request::header);
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200 || response.body().length != fixture.bodyBytes) {
            throw new IllegalStateException(target.name() + ": " + response.statusCode() + " with "
                    + response.body().length + " bytes (expected: 200 with the " + fixture.bodyBytes + "-byte PodList)\n"
                    + new String(response.body(), 0, Math.min(500, response.body().length)) + "\n"
                    + target.measured().tail());
        }
    }

    private Child started(Child child) {
        children.add(child);
        return child;
    }

    private synchronized void stopAllBut(Child keep) {
        for (Child c : List.copyOf(children)) {
            if (c != keep) {
                c.close();
                children.remove(c);
            }
        }
    }

    private synchronized void stopAll() {
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
        children.clear();
    }

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
