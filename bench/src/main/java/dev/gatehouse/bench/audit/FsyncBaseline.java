package dev.gatehouse.bench.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The disk's bare append+fdatasync in the same run as the log's figures: 1 KiB appends due at the latency phase's
 * rate, one fdatasync each, no log code, no batching; each wait is from the append's due time to its fdatasync's
 * end, so time queued behind a slow fdatasync counts, as it does for the log's events.
 */
final class FsyncBaseline {
    private final long[] sorted;

    private FsyncBaseline(long[] sorted) {
        this.sorted = sorted;
    }

    static FsyncBaseline measure(Path dir, int ratePerSecond, int seconds) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("fsync-baseline");
        int n = ratePerSecond * seconds;
        long interval = 1_000_000_000L / ratePerSecond;
        long[] out = new long[n];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer kb = ByteBuffer.allocateDirect(1024);
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long due = start + i * interval;
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(Math.min(due - now, 50_000));
                }
                kb.clear();
                ch.write(kb);
                ch.force(false);
                out[i] = System.nanoTime() - due;
            }
        }
        Files.delete(file);
        Arrays.sort(out);
        return new FsyncBaseline(out);
    }

    double ms(double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
    }

    double maxMs() {
        return sorted[sorted.length - 1] / 1e6;
    }
}
