package dev.gatehouse.bench.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** The disk's bare append+fdatasync latency, measured in the same run as the log's figures. */
final class FsyncBaseline {
    private static long[] samples;

    private FsyncBaseline() {
    }

    static double p(Path dir, double quantile) throws IOException {
        if (samples == null) {
            samples = measure(dir, 2_000);
        }
        return samples[(int) Math.min(samples.length - 1, Math.floor(quantile * samples.length))] / 1e6;
    }

    private static long[] measure(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("fsync-baseline");
        long[] out = new long[n];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer kb = ByteBuffer.allocateDirect(1024);
            for (int i = 0; i < n; i++) {
                kb.clear();
                long t = System.nanoTime();
                ch.write(kb);
                ch.force(false);
                out[i] = System.nanoTime() - t;
            }
        }
        Files.delete(file);
        Arrays.sort(out);
        return out;
    }
}
