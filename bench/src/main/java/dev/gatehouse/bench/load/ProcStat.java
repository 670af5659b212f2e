package dev.gatehouse.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Linux's {@code /proc} says about processes and the machine: CPU time of a set of processes (user +
 * system, all threads), resident memory, the load average and how busy all cores were.
 */
final class ProcStat {
    /** Clock ticks per second for {@code /proc/<pid>/stat}; 100 on every Linux this runs on. */
    static final long TICKS_PER_SECOND = 100;

    private ProcStat() {
    }

    /** utime + stime of the processes in microseconds; a process that has gone counts as 0. */
    static long cpuMicros(Collection<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            String[] f = statFields(pid);
            if (f != null) {
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)
            }
        }
        return ticks * 1_000_000 / TICKS_PER_SECOND;
    }

    /** CPU time (utime + stime, microseconds) of each thread of {@code pid}, summed by thread name. */
    static Map<String, Long> threadCpuMicros(long pid) {
        Map<String, Long> byName = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // Thread names are cut at 15 characters; "GC Thread#0" and "GC Thread#1" count together.
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[#0-9]+$", "");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long micros = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1_000_000 / TICKS_PER_SECOND;
                    byName.merge(name, micros, Long::sum);
                } catch (IOException | RuntimeException threadGone) {
                    // the thread ended between listing and reading
                }
            }
        } catch (IOException gone) {
            return byName;
        }
        return byName;
    }

    /** The CPU each thread name spent between two readings, per request, largest first (zeros left out). */
    static Map<String, Double> perRequest(Map<String, Long> before, Map<String, Long> after,
                                                    long requests) {
        Map<String, Double> out = new LinkedHashMap<>();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), Math.round(10.0 * e.getValue() / Math.max(1, requests)) / 10.0));
        return out;
    }

    /** Resident set size in KiB (VmRSS), or -1 when the process has gone. */
    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
        return -1;
    }

    /** The 1, 5 and 15 minute load averages as "2.10 1.85 1.40". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Busy and total jiffies of all cores together, from the first line of {@code /proc/stat}. */
    static long[] machineJiffies() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
            return new long[] {total - idle, total};
        } catch (IOException e) {
            return new long[] {0, 0};
        }
    }

    /** Percent of all cores' time that was busy between two {@link #machineJiffies()} readings. */
    static double busyPercent(long[] before, long[] after) {
        long total = after[1] - before[1];
        return total <= 0 ? Double.NaN : 100.0 * (after[0] - before[0]) / total;
    }

    /** The fields of {@code /proc/<pid>/stat} after the command name, so index 0 is field 3 (state). */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }
}
