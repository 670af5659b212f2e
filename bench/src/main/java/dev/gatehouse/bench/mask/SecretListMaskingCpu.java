package dev.gatehouse.bench.mask;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

import io.vertx.core.buffer.Buffer;

/**
 * The same three operations as {@link SecretListMaskingBenchmark}, measured in CPU time of the thread that runs them
 * (not wall time), so that MB/s per core can be read on a machine other processes load. GC threads are not counted.
 * Run: {@code java -Xmx1g -cp <bench classpath> dev.gatehouse.bench.mask.SecretListMaskingCpu [rounds]}.
 */
public final class SecretListMaskingCpu {
    private SecretListMaskingCpu() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        SecretListMaskingBenchmark bench = new SecretListMaskingBenchmark();
        bench.setUp();
        long bytes = 0;
        for (Buffer chunk : bench.chunks) {
            bytes += chunk.length();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= rounds; round++) {
            StringBuilder line = new StringBuilder("round " + round + (round == 1 ? " (warm-up):" : ":"));
            for (String op : new String[] {"mask", "jacksonCopy", "byteCopy"}) {
                long cpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                for (int i = 0; i < 3; i++) {
                    switch (op) {
                        case "mask" -> bench.mask();
                        case "jacksonCopy" -> bench.jacksonCopy();
                        default -> bench.byteCopy();
                    }
                }
                double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
                double wallSeconds = (System.nanoTime() - wall) / 1e9;
                line.append(String.format(Locale.ROOT, "  %s %.0f MB/s per CPU second (%.0f MB/s wall)", op,
                        3 * bytes / 1e6 / cpuSeconds, 3 * bytes / 1e6 / wallSeconds));
            }
            System.out.println(line);
        }
    }
}
