package dev.gatehouse.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HTTP/1.1 load with {@code wrk} (Debian's): one event-loop thread by default, so the generator takes as
 * little of the two cores as it can; a Lua {@code done} hook prints exact counts and percentiles.
 */
final class Wrk implements LoadGenerator {
    private static final String SCRIPT = """
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("WRK_RESULT %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.1f\\n",
                summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
                latency:percentile(50), latency:percentile(99), latency.mean))
            end
            """;
    private final Path dir;
    private final Path script;
    private final int threads;
    private int runs;

    Wrk(Path dir, int threads) throws IOException {
        this.dir = dir;
        this.script = dir.resolve("wrk-result.lua");
        this.threads = threads;
        Files.writeString(script, SCRIPT);
    }

    @Override
    public String protocol() {
        return "http/1.1";
    }

    @Override
    public LoadResult run(Target target, int concurrency, Duration duration) {
        List<String> command = new ArrayList<>(List.of("wrk", "-t", Integer.toString(Math.min(threads, concurrency)),
                "-c", Integer.toString(concurrency), "-d", duration.toSeconds() + "s", "--timeout", "10s",
                "-s", script.toString()));
        for (Map.Entry<String, String> h : target.headers().entrySet()) {
            command.addAll(List.of("-H", h.getKey() + ": " + h.getValue()));
        }
        command.add(target.url());
        Child wrk = Child.start("wrk", command, dir.resolve("wrk-" + (++runs) + ".out"), duration.plusSeconds(30));
        int exit = wrk.await(duration.plusSeconds(40));
        String line = wrk.output().lines().filter(l -> l.startsWith("WRK_RESULT ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("wrk exited with " + exit + " and no result:\n" + wrk.tail()));
        String[] f = line.split(" ");
        long errors = 0;
        for (int i = 3; i <= 7; i++) {
            errors += Long.parseLong(f[i]);
        }
        return new LoadResult(Long.parseLong(f[1]), errors, Long.parseLong(f[2]) / 1e6,
                Double.parseDouble(f[8]), Double.parseDouble(f[9]), Double.parseDouble(f[10]));
    }

    static String version() {
        String v = Tools.firstLine(List.of("wrk", "--version"));
        return v.contains("[") ? v.substring(0, v.indexOf('[')).strip() : v;
    }
}
