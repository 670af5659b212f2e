package dev.gatehouse.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of one {@link ReviewBench} run, from its command line.
 *
 * @param work          work directory (kept); {@code null}: a temporary one, deleted after a successful run
 * @param results       where {@code reviews-<date>-<time>.md} goes
 * @param gatewayJar    {@code cli/target/gatehouse.jar}; the gateway runs as {@code java -jar JAR serve}
 * @param gatewayJvm    the gateway JVMs' options
 * @param rounds        measured approval-to-release rounds (each after an allowed request, the baseline)
 * @param warmupRounds  unmeasured rounds before them
 * @param held          requests held at once in the held phase
 * @param connections   HTTP/2 connections that carry them (at most 100 streams each, the gateway's limit)
 * @param concurrency   requests in flight in the allow-path CPU phase
 * @param cpuSeconds    measured seconds of one allow-path run
 * @param cpuWarmup     unmeasured seconds on each gateway before the allow-path runs
 * @param cpuPairs      how many times both policies run (ABBA…, so drift cancels)
 * @param phases        which phases run: {@code latency}, {@code held}, {@code cpu}
 */
record ReviewBenchOptions(Path work, Path results, Path gatewayJar, List<String> gatewayJvm, int rounds,
                          int warmupRounds, int held, int connections, int concurrency, int cpuSeconds,
                          int cpuWarmup, int cpuPairs, List<String> phases) {
    static final List<String> PHASES = List.of("latency", "held", "cpu");
    /** The gateway's HTTP/2 listener allows this many concurrent streams per connection (Vert.x's default). */
    static final int STREAMS_PER_CONNECTION = 100;

    static final String USAGE = """
            usage: ReviewBench --gateway-jar cli/target/gatehouse.jar [options]
              --work DIR           keep the work directory here (default: a temporary one, deleted on success)
              --results DIR        where the report goes (default bench/results)
              --gateway-jvm OPTS   the gateway JVMs' options, space-separated (default "-Xms256m -Xmx1g")
              --rounds N           measured approval-to-release rounds (default 200)
              --warmup-rounds N    unmeasured rounds before them (default 30)
              --held N             requests held at once (default 10000)
              --connections N      HTTP/2 connections carrying them, 100 streams each (default 100)
              --concurrency N      requests in flight in the allow-path CPU phase (default 16)
              --cpu-seconds N      measured seconds of one allow-path run (default 6)
              --cpu-warmup N       unmeasured seconds on each gateway first (default 8)
              --cpu-pairs N        runs of each policy, alternated ABBA (default 4)
              --phases LIST        any of latency,held,cpu (default all three)
            """;

    static ReviewBenchOptions parse(String... args) {
        Path work = null;
        Path results = Path.of("bench/results");
        Path jar = null;
        List<String> jvm = List.of("-Xms256m", "-Xmx1g");
        int rounds = 200;
        int warmupRounds = 30;
        int held = 10_000;
        int connections = 100;
        int concurrency = 16;
        int cpuSeconds = 6;
        int cpuWarmup = 8;
        int cpuPairs = 4;
        List<String> phases = PHASES;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (name) {
                case "--work" -> work = Path.of(value);
                case "--results" -> results = Path.of(value);
                case "--gateway-jar" -> jar = Path.of(value);
                case "--gateway-jvm" -> jvm = List.of(value.trim().split("\\s+"));
                case "--rounds" -> rounds = OptionNumbers.positive(name, value);
                case "--warmup-rounds" -> warmupRounds = OptionNumbers.nonNegative(name, value);
                case "--held" -> held = OptionNumbers.positive(name, value);
                case "--connections" -> connections = OptionNumbers.positive(name, value);
                case "--concurrency" -> concurrency = OptionNumbers.positive(name, value);
                case "--cpu-seconds" -> cpuSeconds = OptionNumbers.positive(name, value);
                case "--cpu-warmup" -> cpuWarmup = OptionNumbers.nonNegative(name, value);
                case "--cpu-pairs" -> cpuPairs = OptionNumbers.positive(name, value);
                case "--phases" -> phases = phases(value);
                default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
            }
        }
        if (jar == null) {
            throw new IllegalArgumentException("--gateway-jar is required\n" + USAGE);
        }
        if ((long) connections * STREAMS_PER_CONNECTION < held) {
            throw new IllegalArgumentException("--held: " + held + " (expected: at most --connections × "
                    + STREAMS_PER_CONNECTION + " = " + (long) connections * STREAMS_PER_CONNECTION
                    + ", the streams the gateway allows)");
        }
        return new ReviewBenchOptions(work, results, jar, jvm, rounds, warmupRounds, held, connections, concurrency,
                cpuSeconds, cpuWarmup, cpuPairs, phases);
    }

    private static List<String> phases(String value) {
        List<String> list = new ArrayList<>();
        for (String p : value.split(",")) {
            String phase = p.trim();
            if (!PHASES.contains(phase)) {
                throw new IllegalArgumentException("--phases: \"" + phase + "\" (expected: latency, held, cpu)");
            }
            list.add(phase);
        }
        return List.copyOf(list);
    }
}
