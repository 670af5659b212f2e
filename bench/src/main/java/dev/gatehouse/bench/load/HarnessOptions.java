package dev.gatehouse.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The harness's command line. Every option has a default that gives the documented run:
 * {@code --duration 10 --warmup 10 --concurrency 1,16,64}.
 */
record HarnessOptions(Duration duration, Duration warmup, List<Integer> concurrencies, List<String> targets,
                      Path resultsDir, Path workDir,
                      boolean temporaryWork, String kubectl, int wrkThreads, boolean h2, boolean streaming,
                      boolean profile, long streamMegabytes, List<String> gatewayJvm, Path gatewayJar,
                      int durableRate, Duration durableDuration, long waitMicros) {
    static final List<String> ALL_TARGETS = List.of("direct", "nginx-proxy", "kubectl-proxy", "gateway",
            LoadHarness.OIDC, LoadHarness.NO_AUDIT, LoadHarness.VERTX_PROXY);
    /** Diagnostics run only when named in {@code --targets}. */
    static final List<String> EXTRA_TARGETS = List.of(LoadHarness.HANDOFF, LoadHarness.WAIT);
    static final String USAGE = """
            usage: LoadHarness [options]
              --duration S        seconds per measured run (default 10)
              --warmup S          seconds of warm-up per target (default 10; a JVM gets more rounds while
                                  its JIT compiler is still busy)
              --concurrency LIST  requests in flight, comma-separated (default 1,16,64)
              --targets LIST      which targets, comma-separated (default: all of direct, nginx-proxy,
                                  kubectl-proxy, gateway, gateway-oidc, gateway-no-audit, vertx-proxy;
                                  gateway-oidc is the gateway with clients sending an RS256 OIDC token
                                  instead of a static one; the last two are diagnostics: the gateway
                                  with an audit log that acknowledges without writing, and a minimal
                                  proxy on the gateway's stack)
              --results DIR       where the JSON and Markdown results go (default bench/results)
              --work DIR          work directory for certificates, configs and logs, kept afterwards
                                  (default: a new temp dir, deleted after a successful run)
              --kubectl PATH      kubectl binary (default /usr/lib/google-cloud-sdk/bin/kubectl.1.32, else kubectl)
              --wrk-threads N     wrk threads (default 1)
              --no-h2             skip the h2 runs
              --no-streaming      skip the streaming checks
              --profile           after measuring, record the gateway with JFR during one more run
              --stream-mb N       size of the large pod log in MiB (default 256)
              --gateway-jvm OPTS  JVM options of the gateway, space-separated (default "-Xms256m -Xmx1g")
              --gateway-jar FILE  run the gateway as 'java -jar FILE serve --config ...' instead of GatewayMain
              --wait-micros N     the device latency the diagnostic target gateway-wait stands in for
                                  (default 400). Diagnostics run only when named in --targets:
                                  gateway-handoff (the log's thread hand-offs, acknowledging at once,
                                  no write) and gateway-wait (the same after --wait-micros)
              --durable-rate N    requests/s of the paced run that reads the gateway's durable-wait
                                  histogram (default 5000; 0 skips it)
              --durable-seconds S how long that run lasts, after a paced warm-up of --warmup seconds
                                  (default 30: one disk stall of 50 ms holds up 1% of a 10 s run at
                                  2500 req/s, so short runs measure the stalls)
            """;

    static HarnessOptions parse(String[] args) throws Exception {
        Duration duration = Duration.ofSeconds(10);
        Duration warmup = Duration.ofSeconds(10);
        List<Integer> concurrencies = List.of(1, 16, 64);
        List<String> targets = ALL_TARGETS;  // gateway-no-audit included: it shows what the durable log costs
        Path results = Path.of("bench/results");
        Path work = null;
        Path defaultKubectl = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.32");
        String kubectl = Files.isExecutable(defaultKubectl) ? defaultKubectl.toString() : "kubectl";
        int wrkThreads = 1;
        boolean h2 = true;
        boolean streaming = true;
        boolean profile = false;
        long streamMb = 256;
        List<String> jvm = List.of("-Xms256m", "-Xmx1g");
        Path jar = null;
        int durableRate = 5000;
        Duration durableDuration = Duration.ofSeconds(30);
        long waitMicros = 400;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--duration" -> duration = Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
                case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
                case "--concurrency" -> concurrencies = Arrays.stream(value(args, ++i, a).split(","))
                        .map(String::strip).map(Integer::valueOf).toList();
                case "--targets" -> targets = Arrays.stream(value(args, ++i, a).split(",")).map(String::strip).toList();
                case "--results" -> results = Path.of(value(args, ++i, a));
                case "--work" -> work = Path.of(value(args, ++i, a));
                case "--kubectl" -> kubectl = value(args, ++i, a);
                case "--wrk-threads" -> wrkThreads = Integer.parseInt(value(args, ++i, a));
                case "--no-h2" -> h2 = false;
                case "--no-streaming" -> streaming = false;
                case "--profile" -> profile = true;
                case "--stream-mb" -> streamMb = Long.parseLong(value(args, ++i, a));
                case "--gateway-jvm" -> jvm = new ArrayList<>(List.of(value(args, ++i, a).trim().split("\\s+")));
                case "--gateway-jar" -> jar = Path.of(value(args, ++i, a));
                case "--durable-rate" -> durableRate = Integer.parseInt(value(args, ++i, a));
                case "--durable-seconds" -> durableDuration = Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
                case "--wait-micros" -> waitMicros = Long.parseLong(value(args, ++i, a));
                case "-h", "--help" -> throw new IllegalArgumentException(USAGE);
                default -> throw new IllegalArgumentException(a + ": unknown option\n" + USAGE);
            }
        }
        if (duration.isZero() || duration.isNegative() || duration.toSeconds() > 120) {
            throw new IllegalArgumentException("--duration: " + duration.toSeconds() + " (expected: 1..120 seconds)");
        }
        if (warmup.isNegative() || warmup.toSeconds() > 120) {
            throw new IllegalArgumentException("--warmup: " + warmup.toSeconds() + " (expected: 0..120 seconds)");
        }
        if (concurrencies.isEmpty() || concurrencies.stream().anyMatch(c -> c < 1 || c > 1024)) {
            throw new IllegalArgumentException("--concurrency: " + concurrencies + " (expected: 1..1024 each)");
        }
        if (durableDuration.toSeconds() < 1 || durableDuration.toSeconds() > 600) {
            throw new IllegalArgumentException("--durable-seconds: " + durableDuration.toSeconds()
                    + " (expected: 1..600 seconds)");
        }
        if (durableRate < 0 || durableRate > 50_000) {
            throw new IllegalArgumentException("--durable-rate: " + durableRate + " (expected: 0..50000 requests/s)");
        }
        if (waitMicros < 0 || waitMicros > 100_000) {
            throw new IllegalArgumentException("--wait-micros: " + waitMicros + " (expected: 0..100000)");
        }
        if (targets.isEmpty() || !targets.stream().allMatch(t -> ALL_TARGETS.contains(t) || EXTRA_TARGETS.contains(t))) {
            throw new IllegalArgumentException("--targets: " + targets + " (expected: some of " + ALL_TARGETS
                    + " and the diagnostics " + EXTRA_TARGETS + ")");
        }
        boolean temporary = work == null;
        if (temporary) {
            work = Files.createTempDirectory("gatehouse-bench-");
        }
        return new HarnessOptions(duration, warmup, concurrencies, targets, results, work, temporary, kubectl, wrkThreads, h2, streaming,
                profile, streamMb, jvm, jar, durableRate, durableDuration, waitMicros);
    }

    /** Longest any started process may live: every run, warm-up and check, with room to spare. */
    Duration processLimit() {
        int targetCount = ALL_TARGETS.size() + EXTRA_TARGETS.size();
        long runs = (long) concurrencies.size() * targetCount * (h2 ? 2 : 1) + 3;
        return duration.multipliedBy(runs).plus(warmup.multipliedBy(2L * targetCount * 6))
                .plus(durableDuration).plus(warmup).plusMinutes(5);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + ": missing value\n" + USAGE);
        }
        return args[i];
    }
}
