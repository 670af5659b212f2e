package dev.gatehouse.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.gatehouse.sandbox.Sandbox;
import io.vertx.core.Vertx;

/**
 * What the focused benches (sessions, reviews) share: how a run ends — its report printed, the in-process sandbox and
 * Vert.x closed, the work directory removed unless asked to keep it or the run failed, the exit code — and the
 * environment table every report starts with.
 */
final class BenchRuns {
    /** One bench run that writes its report and returns the report's path. */
    @FunctionalInterface
    interface Run {
        Path report() throws Exception;
    }

    private BenchRuns() {
    }

    /** Runs {@code run}, prints its report, cleans up, and exits 0 (or 1 when it failed). */
    static void runAndExit(String name, Path work, boolean keepWork, Sandbox sandbox, Vertx vertx, Run run)
            throws Exception {
        boolean ok = false;
        try {
            Path report = run.report();
            System.out.println(Files.readString(report));
            System.err.println(name + ": wrote " + report);
            ok = true;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
            sandbox.close();
            if (ok && !keepWork) {
                try (Stream<Path> paths = Files.walk(work)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            } else {
                System.err.println(name + ": work directory kept: " + work);
            }
        }
        System.exit(ok ? 0 : 1);
    }

    /** The machine, the JVM and the load at the start, in the order the reports show them. */
    static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("date", OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        env.put("commit", Tools.firstLine(List.of("git", "rev-parse", "--short", "HEAD")));
        env.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        env.put("cpu", Tools.firstLine(List.of("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")));
        env.put("kernel", Tools.firstLine(List.of("uname", "-sr")));
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("loadAverageAtStart", ProcStat.loadAverage());
        return env;
    }

    /** The environment table and the note on reading figures from a shared machine. */
    static void appendEnvironment(StringBuilder md, Map<String, String> env) {
        md.append("| setting | value |\n|---|---|\n");
        env.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        md.append("\nThe machine is shared (2 cores, other builds run): read every figure with the load average "
                + "next to it, and compare ratios within this run only.\n");
    }
}
