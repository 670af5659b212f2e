package dev.gatehouse.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * h2 load with {@code h2load} (Debian's nghttp2-client): one connection carrying {@code concurrency} streams,
 * as client-go multiplexes its requests. h2load reports the mean request time but no percentiles.
 */
final class H2load implements LoadGenerator {
    static final Pattern FINISHED = Pattern.compile("finished in ([0-9.]+)(m?s),");
    private static final Pattern REQUESTS = Pattern.compile(
            "requests: \\d+ total, \\d+ started, (\\d+) done, \\d+ succeeded, \\d+ failed, (\\d+) errored, (\\d+) timeout");
    private static final Pattern STATUS = Pattern.compile("status codes: \\d+ 2xx, \\d+ 3xx, (\\d+) 4xx, (\\d+) 5xx");
    private static final Pattern REQUEST_TIME = Pattern.compile("time for request:\\s+\\S+\\s+\\S+\\s+([0-9.]+)(us|ms|s)");
    private final Path dir;
    private int runs;

    H2load(Path dir) {
        this.dir = dir;
    }

    @Override
    public String protocol() {
        return "h2";
    }

    @Override
    public LoadResult run(Target target, int concurrency, Duration duration) {
        List<String> command = command(target, duration, "-c", "1", "-t", "1", "-m", Integer.toString(concurrency));
        Child h2load = Child.start("h2load", command, dir.resolve("h2load-" + (++runs) + ".out"),
                duration.plusSeconds(30));
        int exit = h2load.await(duration.plusSeconds(40));
        String out = h2load.output();
        Matcher finished = find(FINISHED, out, exit, h2load);
        Matcher requests = find(REQUESTS, out, exit, h2load);
        Matcher status = find(STATUS, out, exit, h2load);
        Matcher time = find(REQUEST_TIME, out, exit, h2load);
        double seconds = seconds(finished);
        long errors = Long.parseLong(requests.group(2)) + Long.parseLong(requests.group(3))
                + Long.parseLong(status.group(1)) + Long.parseLong(status.group(2));
        return new LoadResult(Long.parseLong(requests.group(1)), errors, seconds, Double.NaN, Double.NaN,
                micros(Double.parseDouble(time.group(1)), time.group(2)));
    }

    /** {@code h2load} for {@code duration} with {@code load} (connections, streams, pacing) against the target. */
    static List<String> command(Target target, Duration duration, String... load) {
        List<String> command = new ArrayList<>(List.of("h2load", "-D", Long.toString(duration.toSeconds())));
        command.addAll(List.of(load));
        for (Map.Entry<String, String> h : target.headers().entrySet()) {
            command.addAll(List.of("-H", h.getKey() + ": " + h.getValue()));
        }
        command.add(target.url());
        return command;
    }

    /** The run's length from a match of {@link #FINISHED}. */
    static double seconds(Matcher finished) {
        return Double.parseDouble(finished.group(1)) / (finished.group(2).equals("ms") ? 1000 : 1);
    }

    private static Matcher find(Pattern pattern, String out, int exit, Child child) {
        Matcher m = pattern.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("h2load exited with " + exit + "; no '" + pattern + "' in:\n" + child.tail());
        }
        return m;
    }

    private static double micros(double value, String unit) {
        return switch (unit) {
            case "us" -> value;
            case "ms" -> value * 1e3;
            default -> value * 1e6;
        };
    }

    static String version() {
        return Tools.firstLine(List.of("h2load", "--version"));
    }
}
