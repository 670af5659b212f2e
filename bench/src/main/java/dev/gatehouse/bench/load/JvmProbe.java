package dev.gatehouse.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What another JVM holds, seen from outside: its live threads ({@code /proc/<pid>/status}) and its heap in use right
 * after a full GC ({@code jcmd <pid> GC.run}, then {@code GC.heap_info}), so the figures are the gateway's own and
 * not the bench client's.
 */
final class JvmProbe {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final String JCMD = Path.of(Processes.JAVA).resolveSibling("jcmd").toString();

    private JvmProbe() {
    }

    /** The process's live threads. */
    static int threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring("Threads:".length()).trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/status: " + e.getMessage(), e);
        }
        throw new IllegalStateException("/proc/" + pid + "/status has no Threads: line");
    }

    /** Heap bytes in use after a full collection (two in a row, so what the first let go is gone). */
    static long heapAfterGc(long pid) {
        jcmd(pid, "GC.run");
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher used = USED.matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("jcmd " + pid + " GC.heap_info: no \"used NK\" in:\n" + info);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    /** The {@code top} classes by bytes live after a full GC ({@code jcmd <pid> GC.class_histogram}), one per line. */
    static List<String> histogram(long pid, int top) {
        return jcmd(pid, "GC.class_histogram").lines().map(String::strip)
                .filter(l -> l.matches("\\d+:.*")).limit(top).toList();
    }

    private static String jcmd(long pid, String command) {
        return Tools.output(List.of("timeout", "60s", JCMD, Long.toString(pid), command));
    }
}
