package dev.gatehouse.audit.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.TestEvents;
import dev.gatehouse.audit.checkpoint.CheckpointLog;

/**
 * The signing bound with the default settings: every committed event is covered by a signed checkpoint within
 * {@link #BOUND} of its commit, under sustained load and for a lone event, and checkpoints stay at most one per
 * spacing (plus sealing ones).
 */
@Timeout(60)
class SigningBoundTest {
    private static final Duration BOUND = Duration.ofSeconds(1);

    @TempDir
    Path tmp;

    @Test
    void underSustainedAppendsEveryEventIsSignedWithinTheBoundAndCheckpointsKeepTheirSpacing() throws Exception {
        Path dir = tmp.resolve("audit");
        FileAuditLogConfig config = FileAuditLogConfig.of(dir);
        long elapsedNanos;
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(config)) {
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> appenders = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                appenders.add(Thread.ofPlatform().start(() -> {
                    while (running.get()) {
                        try {
                            log.append(TestEvents.any()).get(10, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }
                }));
            }
            long start = System.nanoTime();
            Thread.sleep(3_000);
            running.set(false);
            for (Thread t : appenders) {
                t.join(15_000);
            }
            elapsedNanos = System.nanoTime() - start;
            long size = log.size();
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (signed(log) < size && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(signed(log)).as("the last event signed within the bound").isEqualTo(size);
            ChainedFileAuditLog.SigningLag lag = log.signingLag();
            System.out.printf("signing bound: %d events in %d ms, %d checkpoints, commit-to-signed max %.1f ms, "
                    + "last %.1f ms%n", size, elapsedNanos / 1_000_000, lag.checkpoints(),
                    lag.max().toNanos() / 1e6, lag.last().toNanos() / 1e6);
            assertThat(size).isGreaterThan(100);
            assertThat(lag.max()).isLessThan(BOUND);
            assertThat(lag.checkpoints()).isPositive();
        }
        long lines = Files.readAllLines(dir.resolve(CheckpointLog.FILE)).size();
        long spacingMillis = FileAuditLogConfig.DEFAULT_CHECKPOINT_SPACING.toMillis();
        long allowed = (elapsedNanos / 1_000_000) / spacingMillis + 1 + 2 + Segment.list(dir).size(); // +first, close
        assertThat(lines).as("checkpoints at most one per %d ms", spacingMillis).isLessThanOrEqualTo(allowed);
    }

    private static long signed(ChainedFileAuditLog log) {
        return log.lastCheckpoint() == null ? 0 : log.lastCheckpoint().treeSize();
    }

    @Test
    void aLoneEventIsSignedWithinTheBound() throws Exception {
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(tmp.resolve("audit")))) {
            for (int i = 0; i < 5; i++) {
                long position = log.append(TestEvents.any()).get(5, TimeUnit.SECONDS);
                long committed = System.nanoTime();
                while (signed(log) <= position && System.nanoTime() - committed < BOUND.toNanos()) {
                    Thread.sleep(1);
                }
                assertThat(signed(log)).isEqualTo(position + 1);
                Thread.sleep(150); // quiet: the next one starts a new spacing
            }
            assertThat(log.signingLag().max()).isLessThan(BOUND);
        }
    }
}
