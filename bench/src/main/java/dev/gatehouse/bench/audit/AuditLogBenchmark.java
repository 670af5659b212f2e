package dev.gatehouse.bench.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;

/**
 * Measures the chained file audit log on this machine's disk:
 * <ol>
 *   <li>throughput: producers keep up to 16k appends in flight; durable events per second (target: 50k/s);</li>
 *   <li>durability wait: one producer paced at 5k events/s; p50/p99/p99.9 from append to durable
 *       (target p99: 2 ms);</li>
 *   <li>baseline, same run: the bare fsync latency of the same disk, so the figures read as ratios.</li>
 * </ol>
 * Run: {@code java -cp ... dev.gatehouse.bench.audit.AuditLogBenchmark [dir] [seconds] [latency,throughput]}.
 * Latency runs first by default: after the throughput phase the disk is busy writing back hundreds of MB.
 */
public final class AuditLogBenchmark {
    private AuditLogBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path base = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("audit-bench");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        System.out.printf("audit log benchmark in %s (%d s per phase)%n", base, seconds);
        FsyncBaseline bare = FsyncBaseline.measure(base, 5_000, Math.min(seconds, 5));
        System.out.printf("baseline: bare 1 KiB append+fdatasync each, due at 5000/s, wait from due: p50 %.3f ms, "
                + "p99 %.3f ms, "
                + "p99.9 %.3f ms, max %.3f ms%n", bare.ms(0.50), bare.ms(0.99), bare.ms(0.999), bare.maxMs());
        String phases = args.length > 2 ? args[2] : "latency,throughput";
        for (String phase : phases.split(",")) {
            switch (phase) {
                case "latency" -> latency(base.resolve("latency"), seconds, 5_000);
                case "throughput" -> throughput(base.resolve("throughput"), seconds);
                default -> throw new IllegalArgumentException("phase: " + phase + " (expected: latency, throughput)");
            }
        }
    }

    static AuditEvent event() {
        String ts = AuditEvent.timestamp(Instant.now());
        return new AuditEvent("Event", "audit.k8s.io/v1", "Metadata", UUID.randomUUID().toString(),
                AuditEvent.STAGE_RESPONSE_COMPLETE, "/api/v1/namespaces/payments/pods/web-7f9c", "get",
                new AuditEvent.UserInfo("alice@example.com", "u-123", List.of("developers", "oncall"), null),
                new AuditEvent.UserInfo("alice@example.com", null, List.of("developers"), null),
                List.of("10.1.2.3"), "kubectl/v1.31.0 (linux/amd64)",
                new AuditEvent.ObjectRef("pods", "payments", "web-7f9c", "", "v1", null),
                new AuditEvent.ResponseStatus(null, null, null, null, 200), ts, ts, null,
                new AuditEvent.Gatehouse("request", null, "prod-eu", "allow", "rule developers-read", 850L, 0L,
                        4096L, new AuditEvent.Authn("oidc", "https://idp.example.com", "kid-2", false, null, null),
                        "impersonate", Map.of()));
    }

    private static void throughput(Path dir, int seconds) throws Exception {
        int producers = 4;
        Semaphore inFlight = new Semaphore(16_384);
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir))) {
            long start = System.nanoTime();
            Thread[] threads = new Thread[producers];
            for (int t = 0; t < producers; t++) {
                threads[t] = Thread.ofPlatform().start(() -> {
                    while (System.nanoTime() < end) {
                        inFlight.acquireUninterruptibly();
                        log.append(event()).whenComplete((seq, err) -> {
                            if (err == null) {
                                done.incrementAndGet();
                            }
                            inFlight.release();
                        });
                    }
                });
            }
            for (Thread t : threads) {
                t.join();
            }
            inFlight.acquireUninterruptibly(16_384);
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("throughput: %d durable events in %.1f s = %.0f events/s (target >= 50000)%n",
                    done.get(), secs, done.get() / secs);
        }
    }

    private static void latency(Path dir, int seconds, int ratePerSecond) throws Exception {
        int total = seconds * ratePerSecond;
        long[] waits = new long[total];
        long intervalNanos = 1_000_000_000L / ratePerSecond;
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir))) {
            for (int i = 0; i < 2_000; i++) {
                log.append(event()).get();
            }
            CompletableFuture<?>[] futures = new CompletableFuture<?>[total];
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + i * intervalNanos;
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(Math.min(due - now, 50_000));
                }
                int index = i;
                long sent = System.nanoTime();
                futures[i] = log.append(event()).thenRun(() -> waits[index] = System.nanoTime() - sent);
            }
            CompletableFuture.allOf(futures).get();
        }
        StringBuilder stalls = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < total && shown < 12; i++) {
            if (waits[i] > 20_000_000L && (i == 0 || waits[i - 1] <= 20_000_000L)) {
                stalls.append(String.format(" t=%.2fs:%.0fms", i / (double) ratePerSecond, waits[i] / 1e6));
                shown++;
            }
        }
        if (!stalls.isEmpty()) {
            System.out.println("stalls over 20 ms (start of each):" + stalls);
        }
        Arrays.sort(waits);
        System.out.printf("durability wait at %d events/s (%d events): p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, "
                        + "max %.3f ms (target p99 <= 2 ms)%n", ratePerSecond, total, ms(waits, 0.50),
                ms(waits, 0.99), ms(waits, 0.999), waits[waits.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }
}
