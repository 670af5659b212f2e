package dev.gatehouse.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The settings of one {@link SessionBench} run, from its command line.
 *
 * @param work             work directory (kept); {@code null}: a temporary one, deleted after a successful run
 * @param results          where {@code sessions-<date>-<time>.md} goes
 * @param gatewayJar       {@code cli/target/gatehouse.jar}; the gateway runs as {@code java -jar JAR serve}
 * @param gatewayJvm       the gateway JVM's options (idle and churn phases)
 * @param streamGatewayJvm the stream phase's gateway JVM options: a small heap, as the load harness's streaming checks
 * @param streamMebibytes  the stream lengths of the throughput phase (two, to show memory flat in length)
 * @param rounds           how many times each stream length runs through each path
 * @param window           bytes the throughput client keeps in flight (sent, not yet echoed)
 * @param idleSessions     sessions held open in the idle-memory phase
 * @param openConcurrency  sessions being opened at once in the idle-memory phase
 * @param churnSeconds     measured seconds of the new-sessions phase (per path)
 * @param churnWarmup      unmeasured seconds before it
 * @param churnConcurrency sessions open-run-close at once in the new-sessions phase
 * @param phases           which phases run: {@code stream}, {@code idle}, {@code churn}
 */
record SessionBenchOptions(Path work, Path results, Path gatewayJar, List<String> gatewayJvm,
                           List<String> streamGatewayJvm,
                           List<Integer> streamMebibytes, int rounds, int window, int idleSessions,
                           int openConcurrency, int churnSeconds, int churnWarmup, int churnConcurrency,
                           List<String> phases) {
    static final String USAGE = """
            usage: SessionBench --gateway-jar cli/target/gatehouse.jar [options]
              --work DIR             keep the work directory here (default: a temporary one, deleted on success)
              --results DIR          where the report goes (default bench/results)
              --gateway-jvm OPTS     the gateway JVM's options, space-separated (default "-Xms256m -Xmx1g")
              --stream-gateway-jvm OPTS  the stream phase's gateway JVM options
                                     (default "-Xmx64m -XX:MaxDirectMemorySize=64m")
              --stream-mib A,B       stream lengths of the throughput phase in MiB (default 32,256)
              --rounds N             runs of each length through each path (default 2)
              --window BYTES         bytes in flight in the throughput client (default 2097152)
              --idle-sessions N      sessions held open in the idle phase (default 1000)
              --open-concurrency N   sessions opened at once in the idle phase (default 32)
              --churn-seconds N      measured seconds of the new-sessions phase, per path (default 20)
              --churn-warmup N       unmeasured seconds before it (default 15)
              --churn-concurrency N  sessions open-run-close at once (default 8)
              --phases LIST          any of stream,idle,churn (default all three)
            """;

    static SessionBenchOptions parse(String... args) {
        Path work = null;
        Path results = Path.of("bench/results");
        Path jar = null;
        List<String> jvm = List.of("-Xms256m", "-Xmx1g");
        List<String> streamJvm = List.of("-Xmx64m", "-XX:MaxDirectMemorySize=64m");
        List<Integer> lengths = List.of(32, 256);
        int rounds = 2;
        int window = 2 << 20;
        int idle = 1000;
        int open = 32;
        int churn = 20;
        int warmup = 15;
        int churnConcurrency = 8;
        List<String> phases = List.of("stream", "idle", "churn");
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
                case "--stream-gateway-jvm" -> streamJvm = List.of(value.trim().split("\\s+"));
                case "--stream-mib" -> lengths = Arrays.stream(value.split(",")).map(String::trim)
                        .map(v -> OptionNumbers.positive(name, v)).toList();
                case "--rounds" -> rounds = OptionNumbers.positive(name, value);
                case "--window" -> window = OptionNumbers.positive(name, value);
                case "--idle-sessions" -> idle = OptionNumbers.positive(name, value);
                case "--open-concurrency" -> open = OptionNumbers.positive(name, value);
                case "--churn-seconds" -> churn = OptionNumbers.positive(name, value);
                case "--churn-warmup" -> warmup = OptionNumbers.nonNegative(name, value);
                case "--churn-concurrency" -> churnConcurrency = OptionNumbers.positive(name, value);
                case "--phases" -> {
                    List<String> list = new ArrayList<>();
                    for (String p : value.split(",")) {
                        String phase = p.trim();
                        if (!List.of("stream", "idle", "churn").contains(phase)) {
                            throw new IllegalArgumentException("--phases: \"" + phase
                                    + "\" (expected: stream, idle, churn)");
                        }
                        list.add(phase);
                    }
                    phases = List.copyOf(list);
                }
                default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
            }
        }
        if (jar == null) {
            throw new IllegalArgumentException("--gateway-jar is required\n" + USAGE);
        }
        return new SessionBenchOptions(work, results, jar, jvm, streamJvm, lengths, rounds, window, idle, open, churn, warmup,
                churnConcurrency, phases);
    }
}
