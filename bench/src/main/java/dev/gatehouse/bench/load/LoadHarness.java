package dev.gatehouse.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One benchmark run on loopback. Starts a fixed-body nginx upstream and, in front of that same upstream,
 * nginx as a reverse proxy, {@code kubectl proxy} and the gateway (TLS, static-token auth, durable audit log)
 * in a JVM of its own; loads each at every concurrency with keep-alive HTTP/1.1 (and h2 where the target
 * speaks it), reads every proxy's CPU time from {@code /proc}, checks that the gateway streams large bodies,
 * and writes the table and the ratios against nginx to {@code bench/results}. Every process it starts is
 * stopped by pid at the end, also on failure, and dies by itself after a time limit in any case.
 */
public final class LoadHarness {
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
        try {
            harness.run();
        } finally {
            harness.stopAll();
            Runtime.getRuntime().removeShutdownHook(stopper);
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
                options.gatewayJvm(), options.gatewayJar(), limit));
        Map<String, String> auth = Map.of("Authorization", "Bearer " + Fixture.CLIENT_TOKEN);
        String path = Fixture.PODS_PATH;
        Target direct = new Target("direct", "https://127.0.0.1:" + upstreamPort + path, Map.of(), upstream, upstream);
        Target nginx = new Target("nginx-proxy", "https://127.0.0.1:" + proxyPort + path, auth, proxy, upstream);
        Target kube = new Target("kubectl-proxy", "http://127.0.0.1:" + kubectlPort + path, Map.of(), kubectl, upstream);
        Target gw = new Target("gateway", "https://127.0.0.1:" + gatewayPort + "/clusters/" + Fixture.CLUSTER + path,
                auth, gateway, upstream);
        List<Target> targets = List.of(direct, nginx, kube, gw);
        for (Target t : targets) {
            probe(fixture, t);
        }
        measure(new Wrk(fixture.dir, options.wrkThreads()), targets, report);
        if (options.h2()) {
            measure(new H2load(fixture.dir), List.of(direct, nginx, gw), report);
        }
        if (options.profile()) {
            report.profile(GatewayProfile.record(fixture.dir, gateway.mainPid(), new Wrk(fixture.dir, options.wrkThreads()),
                    gw, options.concurrencies().getLast(), options.duration()));
        }
        if (options.streaming()) {
            gateway.close();
            report.streaming(streamingChecks(fixture, upstreamPort, limit));
        }
        report.write();
    }

    private void measure(LoadGenerator generator, List<Target> targets, Report report) {
        for (Target t : targets) {
            if (!options.warmup().isZero()) {
                say("warming up " + t.name() + " (" + generator.protocol() + ", " + options.warmup().toSeconds() + " s)");
                generator.run(t, 16, options.warmup());
            }
        }
        for (int c : options.concurrencies()) {
            for (Target t : targets) {
                Measurement m = Measurement.take(generator, t, c, options.duration());
                report.add(m);
                say(Report.line(m));
            }
        }
    }

    private List<StreamingCheck.Result> streamingChecks(Fixture fixture, int upstreamPort, Duration limit) throws Exception {
        long big = options.streamMegabytes() << 20;
        fixture.largeFile("logs/big.log", big);
        fixture.largeFile("logs/slow.log", 4 * Nginx.SLOW_RATE);
        fixture.largeFile("logs/small.log", 1 << 20);
        int port = Fixture.freePort();
        List<String> smallHeap = List.of("-Xms32m", "-Xmx64m", "-XX:MaxDirectMemorySize=64m");
        Child small = started(Processes.gateway(fixture, "gateway-small", port, upstreamPort, smallHeap,
                options.gatewayJar(), limit));
        StreamingCheck check = new StreamingCheck(fixture.upstreamTls.ca(), "https://127.0.0.1:" + port
                + "/clusters/" + Fixture.CLUSTER, small.mainPid());
        say("streaming checks through a gateway with " + String.join(" ", smallHeap));
        check.fetch("warm-up", "small", 0);
        List<StreamingCheck.Result> results = List.of(
                check.fetch("relay " + options.streamMegabytes() + " MiB as fast as it comes", "big", 0),
                check.fetch("first byte of a log the upstream sends at 8 MiB/s", "slow", 0),
                check.fetch("reader at 16 MiB/s, upstream unthrottled", "big", 16L << 20));
        results.forEach(r -> say(Report.line(r)));
        small.close();
        return results;
    }

    /** One request before loading: the target must answer 200 with the fixed body, or the run stops here. */
    private void probe(Fixture fixture, Target target) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(StreamingCheck.trusting(fixture.upstreamTls.ca())).build();
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
