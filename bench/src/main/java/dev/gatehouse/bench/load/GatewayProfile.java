package dev.gatehouse.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the gateway's CPU goes: one more run at the highest concurrency with a JFR recording started by
 * {@code jcmd} (CPU-time sampling where the JDK has it, JDK 25+; execution sampling otherwise), the gateway's
 * CPU time per thread from {@code /proc}, and the samples summed by layer, by leaf method and by Gatehouse
 * method on the stack. Not part of the measured figures: recording costs a little CPU itself.
 */
final class GatewayProfile {
    /** Layers by class-name prefix, in the order they are tried. */
    private static final Map<String, String> LAYERS = layers();
    private static final String JDK = "JDK (collections, strings, ...)";

    private GatewayProfile() {
    }

    static String record(Path dir, long pid, LoadGenerator generator, Target gateway, int concurrency,
                         Duration duration) throws IOException, InterruptedException {
        Path file = dir.resolve("gateway-profile.jfr");
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        boolean cpuTime = Tools.output(List.of(jcmd, Long.toString(pid), "JFR.start", "name=bench",
                "settings=profile", "jdk.CPUTimeSample#enabled=true", "jdk.CPUTimeSample#throttle=1ms",
                "filename=" + file)).contains("Started recording");
        if (!cpuTime) {
            String out = Tools.output(List.of(jcmd, Long.toString(pid), "JFR.start", "name=bench", "settings=profile",
                    "filename=" + file));
            if (!out.contains("Started recording")) {
                return "JFR could not be started in the gateway (pid " + pid + "):\n" + out;
            }
        }
        Map<String, Long> threadsBefore = ProcStat.threadCpuMicros(pid);
        Measurement m = Measurement.take(generator, gateway, concurrency, duration);
        Map<String, Long> threadsAfter = ProcStat.threadCpuMicros(pid);
        Tools.output(List.of(jcmd, Long.toString(pid), "JFR.stop", "name=bench"));
        StringBuilder out = new StringBuilder();
        out.append("Profiled run (JFR on): ").append(Report.line(m)).append("\n\n");
        out.append("Gateway CPU by thread (from /proc, µs per request):\n");
        ProcStat.perRequest(threadsBefore, threadsAfter, m.load().requests())
                .forEach((name, micros) -> out.append(String.format("  %-24s %8.1f%n", name, micros)));
        out.append('\n').append(summarize(file, cpuTime));
        return out.toString();
    }

    private static String summarize(Path file, boolean cpuTime) throws IOException {
        if (!Files.exists(file)) {
            return "no JFR recording was written (" + file + ")\n";
        }
        String wanted = cpuTime ? "jdk.CPUTimeSample" : "jdk.ExecutionSample";
        Map<String, Long> layers = new LinkedHashMap<>();
        Map<String, Long> leaves = new HashMap<>();
        Map<String, Long> gatehouse = new HashMap<>();
        long samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals(wanted) || e.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            layers.merge(layer(frames), 1L, Long::sum);
            leaves.merge(name(frames.getFirst()), 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("dev.gatehouse.") && seen.add(n)) {
                    gatehouse.merge(n, 1L, Long::sum);
                }
            }
        }
        StringBuilder out = new StringBuilder(wanted + ": " + samples + " samples of Java threads\n");
        top(out, "by layer (leaf-most matching frame)", layers, samples, 20);
        top(out, "by leaf method (self)", leaves, samples, 25);
        top(out, "by Gatehouse method on the stack (inclusive)", gatehouse, samples, 25);
        return out.toString();
    }

    private static void top(StringBuilder out, String title, Map<String, Long> counts, long total, int n) {
        out.append('\n').append(title).append(":\n");
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(e -> out.append(String.format("  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total),
                        e.getKey())));
    }

    /** The layer of the leaf-most frame outside the JDK's general library (collections, strings, ...). */
    private static String layer(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String layer = match(f.getMethod().getType().getName());
            if (layer != null && !layer.equals(JDK)) {
                return layer;
            }
        }
        String leaf = match(frames.getFirst().getMethod().getType().getName());
        return leaf != null ? leaf : "other: " + name(frames.getFirst());
    }

    private static String match(String type) {
        for (Map.Entry<String, String> l : LAYERS.entrySet()) {
            if (type.startsWith(l.getKey())) {
                return l.getValue();
            }
        }
        return null;
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static Map<String, String> layers() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("io.netty.internal.tcnative", "TLS (OpenSSL via tcnative)");
        m.put("io.netty.handler.ssl", "TLS (Netty SslHandler)");
        m.put("sun.security.ssl", "TLS (JDK)");
        m.put("dev.gatehouse.audit", "audit log");
        m.put("com.fasterxml.jackson", "JSON (Jackson)");
        m.put("dev.gatehouse", "gatehouse (other stages)");
        m.put("io.netty.handler.codec.http2", "HTTP/2 codec");
        m.put("io.netty.handler.codec.http", "HTTP/1.1 codec");
        m.put("io.netty.channel", "Netty channel / socket I/O");
        m.put("sun.nio.ch", "socket / file I/O (NIO)");
        m.put("io.vertx", "Vert.x");
        m.put("io.netty", "Netty (other)");
        m.put("java.", JDK);
        m.put("jdk.", JDK);
        m.put("sun.", JDK);
        return m;
    }
}
