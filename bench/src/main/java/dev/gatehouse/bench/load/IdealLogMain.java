package dev.gatehouse.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The control for the paced durable-wait run: the least any durable log can do on this machine, in a JVM of its
 * own. One thread hands a timestamp per event to a writer thread at a fixed rate; the writer takes everything
 * queued as one batch and writes that many bytes with one {@code O_DSYNC} write into a file that was zero-filled
 * and forced beforehand, so no commit changes the file's size (the gateway's log keeps its live segment the same
 * way). No JSON, hashing, checkpoints or network. Prints the wait from hand-over to durable as exact percentiles:
 * {@code ideal log: N events, p50 X ms, p99 Y ms, p99.9 Z ms, max W ms, C commits}.
 * <p>
 * Run beside the gateway without its log under the same paced load, it tells what the machine allows: when even
 * this writer waits longer than the target, the gateway cannot meet it in that run.
 */
public final class IdealLogMain {
    private static final long END = Long.MIN_VALUE;

    private IdealLogMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: IdealLogMain FILE EVENTS_PER_SECOND SECONDS EVENT_BYTES");
            System.exit(2);
        }
        System.out.println(measure(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), () -> System.out.println("ideal log: ready")));
    }

    /**
     * Zero-fills {@code file}, tells {@code ready}, then commits {@code rate} events of {@code eventBytes} a second
     * for {@code seconds}; returns the result line. The file is deleted afterwards.
     */
    static String measure(Path file, int rate, int seconds, int eventBytes, Runnable ready) throws Exception {
        int total = Math.multiplyExact(rate, seconds);
        long size = (long) total * eventBytes + (1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.DSYNC)) {
            zeroFill(ch, size);
            ready.run();
            return run(ch, rate, total, eventBytes);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void zeroFill(FileChannel ch, long size) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        for (long pos = 0; pos < size; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), size - pos));
            pos += ch.write(zeros, pos);
        }
        ch.force(true);
    }

    private static String run(FileChannel ch, int rate, int total, int eventBytes) throws Exception {
        BlockingQueue<Long> queue = new ArrayBlockingQueue<>(total + 1);
        long[] waits = new long[total];
        int[] commits = new int[1];
        Thread writer = Thread.ofPlatform().name("ideal-log-writer").start(() -> {
            ByteBuffer bytes = ByteBuffer.allocateDirect(eventBytes * 4096);
            long[] batch = new long[4096];
            int done = 0;
            long position = 0;
            try {
                while (true) {
                    long first = queue.take();
                    if (first == END) {
                        return;
                    }
                    batch[0] = first;
                    int n = 1;
                    Long next;
                    while (n < batch.length && (next = queue.poll()) != null) {
                        if (next == END) {
                            queue.add(END);
                            break;
                        }
                        batch[n++] = next;
                    }
                    bytes.clear().limit(n * eventBytes);
                    while (bytes.hasRemaining()) {
                        position += ch.write(bytes, position);
                    }
                    long durable = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        waits[done++] = durable - batch[i];
                    }
                    commits[0]++;
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            queue.add(System.nanoTime());
        }
        queue.add(END);
        writer.join();
        Arrays.sort(waits);
        return String.format("ideal log: %d events, p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms, %d commits",
                total, ms(waits, 0.50), ms(waits, 0.99), ms(waits, 0.999), waits[total - 1] / 1e6, commits[0]);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }
}
