package dev.gatehouse.bench.mask;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@link FieldRuleMaskingBenchmark}'s operations timed by the CPU time of this thread (not wall time), so a busy
 * machine does not inflate them: rounds of N relays each, microseconds of CPU per relay. Run: {@code java -cp
 * <bench classpath> dev.gatehouse.bench.mask.FieldRuleMaskingCpu [rounds] [relays]}.
 */
public final class FieldRuleMaskingCpu {
    private FieldRuleMaskingCpu() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int relays = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        FieldRuleMaskingBenchmark b = new FieldRuleMaskingBenchmark();
        long podBytes = b.podChunks.stream().mapToLong(c -> c.length).sum();
        System.out.printf("PodList %d bytes, NodeList %d bytes%n", podBytes,
                b.nodeChunks.stream().mapToLong(c -> c.length).sum());
        List<Object[]> ops = List.of(
                new Object[] {"podsShipped", (LongSupplier) b::podsShipped},
                new Object[] {"podsRulesOnly", (LongSupplier) b::podsRulesOnly},
                new Object[] {"podsBefore", (LongSupplier) b::podsBefore},
                new Object[] {"podsJacksonCopy", (LongSupplier) () -> {
                    try {
                        return b.podsJacksonCopy();
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }},
                new Object[] {"podsByteCopy", (LongSupplier) b::podsByteCopy},
                new Object[] {"nodesShipped", (LongSupplier) b::nodesShipped},
                new Object[] {"nodesBefore", (LongSupplier) b::nodesBefore});
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= rounds; round++) {
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (Object[] op : ops) {
                LongSupplier run = (LongSupplier) op[1];
                long start = threads.getCurrentThreadCpuTime();
                long sink = 0;
                for (int i = 0; i < relays; i++) {
                    sink += run.getAsLong();
                }
                double micros = (threads.getCurrentThreadCpuTime() - start) / 1000.0 / relays;
                line.append(String.format(" %s=%.0fus", op[0], micros));
                if (sink == 42) {
                    line.append('!');
                }
            }
            System.out.println(line);
        }
    }
}
