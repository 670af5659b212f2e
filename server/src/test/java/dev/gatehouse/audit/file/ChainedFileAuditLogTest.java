package dev.gatehouse.audit.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLogUnavailableException;
import dev.gatehouse.audit.TestEvents;

@Timeout(60)
class ChainedFileAuditLogTest {
    @TempDir
    Path tmp;

    private FileAuditLogConfig config() {
        return FileAuditLogConfig.of(tmp.resolve("audit")).withProbeInterval(Duration.ofMillis(20));
    }

    @Test
    void concurrentAppendsGetDistinctConsecutivePositionsDurableOnCompletion() throws Exception {
        int threads = 16;
        int perThread = 500;
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        List<String> auditIds = new ArrayList<>();
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(config())) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        AuditEvent event = TestEvents.any();
                        CompletableFuture<Long> f = log.append(event);
                        synchronized (futures) {
                            futures.add(f);
                            auditIds.add(event.auditID());
                        }
                    }
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            List<Long> positions = futures.stream().map(CompletableFuture::join).sorted().toList();
            assertThat(positions).containsExactlyElementsOf(
                    LongStream.range(0, threads * perThread).boxed().toList());
            try (Stream<AuditEvent> onDisk = AuditLogReader.events(config().directory())) {
                List<AuditEvent> events = onDisk.toList();
                assertThat(events).extracting(e -> e.gatehouse().seq())
                        .containsExactlyElementsOf(positions);
                assertThat(events).extracting(AuditEvent::auditID).containsExactlyInAnyOrderElementsOf(auditIds);
            }
        }
    }

    @Test
    void writesEachEventAsOneLineInTheAuditEventShape() throws Exception {
        AuditEvent event = TestEvents.request("alice", "delete", "pods", "prod", 200);
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(config())) {
            assertThat(log.append(event).get()).isZero();
        }
        List<String> lines = Files.readAllLines(config().directory().resolve(Segment.fileName(0)));
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).startsWith("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\"")
                .contains("\"auditID\":\"" + event.auditID() + "\"")
                .contains("\"seq\":0");
    }

    @Test
    void unwritableDirectoryFailsAppendsAndHealthUntilItIsWritable() throws Exception {
        Path dir = config().directory();
        Files.writeString(dir, "not a directory");
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(config())) {
            assertThat(log.health().writable()).isFalse();
            assertThat(log.health().problem()).contains(dir.toString());
            assertThatThrownBy(() -> log.append(TestEvents.any()).get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(AuditLogUnavailableException.class);

            Files.delete(dir);
            awaitWritable(log);
            assertThat(log.append(TestEvents.any()).get(5, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void fullDiskFailsPendingAppendsAndRecoversWithoutGaps() throws Exception {
        FailingFileChannel.Disk disk = new FailingFileChannel.Disk();
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(config(), disk)) {
            assertThat(log.append(TestEvents.any()).get()).isZero();

            disk.full.set(true);
            assertThatThrownBy(() -> log.append(TestEvents.any()).get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(AuditLogUnavailableException.class)
                    .hasMessageContaining("No space left on device");
            assertThat(log.health().writable()).isFalse();
            assertThat(log.health().problem()).contains("No space left on device");
            assertThatThrownBy(() -> log.append(TestEvents.any()).get())
                    .hasCauseInstanceOf(AuditLogUnavailableException.class);

            disk.full.set(false);
            awaitWritable(log);
            assertThat(log.append(TestEvents.any()).get(5, TimeUnit.SECONDS)).isEqualTo(1);
        }
        try (Stream<AuditEvent> events = AuditLogReader.events(config().directory())) {
            assertThat(events.map(e -> e.gatehouse().seq())).containsExactly(0L, 1L);
        }
    }

    @Test
    void failedFsyncLeavesNoneOfItsBatchOnDisk() throws Exception {
        FailingFileChannel.Disk disk = new FailingFileChannel.Disk();
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(config(), disk)) {
            CountDownLatch gate = new CountDownLatch(1);
            disk.syncGate.set(gate);
            CompletableFuture<Long> doomed = log.append(TestEvents.any());
            Thread.sleep(50);
            disk.full.set(true);
            disk.syncGate.set(null);
            gate.countDown();
            assertThatThrownBy(() -> doomed.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(AuditLogUnavailableException.class);
            disk.full.set(false);
            awaitWritable(log);
            assertThat(log.append(TestEvents.any()).get(5, TimeUnit.SECONDS)).isZero();
        }
        assertThat(Files.readAllLines(config().directory().resolve(Segment.fileName(0)))).hasSize(1);
    }

    @Test
    void fullQueueFailsFastInsteadOfBlocking() throws Exception {
        FailingFileChannel.Disk disk = new FailingFileChannel.Disk();
        CountDownLatch gate = new CountDownLatch(1);
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(config().withQueueCapacity(4), disk)) {
            disk.syncGate.set(gate);
            List<CompletableFuture<Long>> accepted = new ArrayList<>();
            accepted.add(log.append(TestEvents.any()));
            Thread.sleep(50);
            for (int i = 0; i < 4; i++) {
                accepted.add(log.append(TestEvents.any()));
            }
            long start = System.nanoTime();
            CompletableFuture<Long> rejected = log.append(TestEvents.any());
            assertThat(System.nanoTime() - start).isLessThan(Duration.ofMillis(100).toNanos());
            assertThat(rejected).isCompletedExceptionally();
            assertThatThrownBy(rejected::get).hasMessageContaining("queue is full");

            gate.countDown();
            disk.syncGate.set(null);
            assertThat(CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)))
                    .succeedsWithin(Duration.ofSeconds(5));
        }
    }

    @Test
    void closeFlushesEveryQueuedEvent() throws Exception {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        ChainedFileAuditLog log = ChainedFileAuditLog.open(config());
        for (int i = 0; i < 2000; i++) {
            futures.add(log.append(TestEvents.any()));
        }
        log.close();
        assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
        assertThat(log.health().writable()).isFalse();
        assertThat(log.append(TestEvents.any())).isCompletedExceptionally();
        try (Stream<AuditEvent> events = AuditLogReader.events(config().directory())) {
            assertThat(events.count()).isEqualTo(2000);
        }
    }

    @Test
    void reopenedLogContinuesPositionsAcrossSealedSegments() throws Exception {
        FileAuditLogConfig small = config().withSegmentBytes(4096);
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(small)) {
            for (int i = 0; i < 50; i++) {
                log.append(TestEvents.any()).get();
            }
        }
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(small)) {
            assertThat(log.append(TestEvents.any()).get()).isEqualTo(50);
        }
        assertThat(Segment.list(small.directory())).hasSizeGreaterThan(2);
        try (AuditLogReader reader = AuditLogReader.from(small.directory(), 42)) {
            List<Long> positions = new ArrayList<>();
            reader.forEachRemaining(line -> positions.add(line.event().gatehouse().seq()));
            assertThat(positions).containsExactlyElementsOf(LongStream.rangeClosed(42, 50).boxed().toList());
        }
    }

    @Test
    void aSecondWriterOnTheSameDirectoryIsRefusedUntilTheFirstCloses() throws Exception {
        ChainedFileAuditLog first = ChainedFileAuditLog.open(config());
        first.append(TestEvents.any()).get();
        Path lock = config().directory().resolve(".lock");
        assertThat(Files.readString(lock)).isEqualTo("pid " + ProcessHandle.current().pid() + "\n");
        assertThatThrownBy(() -> ChainedFileAuditLog.open(config()))
                .isInstanceOf(LogDirectoryInUseException.class)
                .hasMessageContaining("lock " + lock + " held by pid " + ProcessHandle.current().pid());
        assertThatThrownBy(() -> ChainedFileAuditLog.checkNotInUse(config().directory()))
                .isInstanceOf(LogDirectoryInUseException.class);

        first.close();
        assertThat(Files.readString(lock)).as("emptied on a clean close").isEmpty();
        ChainedFileAuditLog.checkNotInUse(config().directory());
        try (ChainedFileAuditLog second = ChainedFileAuditLog.open(config())) {
            assertThat(second.append(TestEvents.any()).get(5, TimeUnit.SECONDS))
                    .as("no recovery event after a clean close").isEqualTo(1);
        }
    }

    static void awaitWritable(ChainedFileAuditLog log) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!log.health().writable() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(log.health().writable()).as(log.health().problem()).isTrue();
    }
}
