package dev.gatehouse.audit.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.TestEvents;

/** The live segment is zero-filled ahead of the writer; readers, recovery and sealing must all see through it. */
@Timeout(60)
class PreallocationTest {
    @TempDir
    Path tmp;

    @Test
    void theLiveSegmentEndsInZerosReadersSeeOnlyEventsAndClosingCutsThePadding() throws Exception {
        Path dir = tmp.resolve("audit");
        Path segment = dir.resolve(Segment.fileName(0));
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir))) {
            appendSome(log, 10);
            long lines = awaitPadding(segment);
            assertThat(onlyZerosFrom(segment, lines)).isTrue();
            assertThat(seqs(dir)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        }
        byte[] sealed = Files.readAllBytes(segment);
        assertThat(sealed).doesNotContain((byte) 0);
        assertThat(sealed[sealed.length - 1]).isEqualTo((byte) '\n');
        assertThat(new String(sealed, StandardCharsets.UTF_8).lines()).hasSize(10);
    }

    @Test
    void aCrashThatLeavesOnlyPaddingRecoversWithoutACut() throws Exception {
        Path crashed = crashedCopyWithPadding(5);
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(crashed))) {
            assertThat(log.append(TestEvents.any()).get()).isEqualTo(5); // no torn-tail event before it
        }
        assertThat(seqs(crashed)).hasSize(6);
        try (Stream<Path> files = Files.list(crashed)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains(".torn-"));
        }
    }

    @Test
    void aTornPieceInsideThePaddingIsCutAndKeptWithoutTheZeros() throws Exception {
        Path crashed = crashedCopyWithPadding(5);
        Path segment = crashed.resolve(Segment.fileName(0));
        long end = dataEnd(segment);
        byte[] torn = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"au".getBytes(StandardCharsets.UTF_8);
        try (var ch = java.nio.channels.FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(torn), end);
        }
        assertThat(Files.size(segment)).isGreaterThan(end + torn.length); // zeros follow the torn piece

        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(crashed))) {
            assertThat(log.append(TestEvents.any()).get()).isEqualTo(6); // after the recovery event at 5
        }
        List<AuditEvent> all = events(crashed);
        assertThat(all.get(5).verb()).isEqualTo("recover");
        assertThat(all.get(5).gatehouse().details()).containsEntry("cutBytes", Integer.toString(torn.length));
        try (Stream<Path> files = Files.list(crashed)) {
            Path kept = files.filter(f -> f.getFileName().toString().contains(".torn-")).findFirst().orElseThrow();
            assertThat(Files.readAllBytes(kept)).isEqualTo(torn);
        }
    }

    @Test
    void sealedSegmentsHoldExactlyTheirLines() throws Exception {
        Path dir = tmp.resolve("audit");
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir).withSegmentBytes(16 << 10))) {
            for (int i = 0; i < 20; i++) {
                appendSome(log, 10);
                Thread.sleep(5); // let the helper zero-fill between batches, so some commits land in padding
            }
            List<Segment> segments = Segment.list(dir);
            assertThat(segments).hasSizeGreaterThan(3);
            for (Segment sealed : segments.subList(0, segments.size() - 1)) {
                byte[] bytes = Files.readAllBytes(sealed.path());
                assertThat(bytes).as(sealed.path().getFileName().toString()).doesNotContain((byte) 0);
            }
        }
        assertThat(seqs(dir)).hasSize(200);
    }

    /** A copy of a live log directory taken while the writer runs: what a SIGKILL leaves on disk. */
    private Path crashedCopyWithPadding(int events) throws Exception {
        Path dir = tmp.resolve("live");
        Path copy = tmp.resolve("crashed");
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir))) {
            appendSome(log, events);
            awaitPadding(dir.resolve(Segment.fileName(0)));
            awaitSigned(log, events); // a crash after the last checkpoint: recovery records nothing but a cut
            Files.createDirectories(copy.resolve("keys"));
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    if (!f.getFileName().toString().endsWith(".lock")) {
                        Path target = copy.resolve(dir.relativize(f));
                        Files.createDirectories(target.getParent());
                        Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return copy;
    }

    private static void awaitSigned(ChainedFileAuditLog log, long size) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while ((log.lastCheckpoint() == null || log.lastCheckpoint().treeSize() < size)
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(log.lastCheckpoint().treeSize()).isEqualTo(size);
    }

    private static void appendSome(ChainedFileAuditLog log, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            log.append(TestEvents.any()).get();
        }
    }

    /** Waits until the helper has zero-filled past the lines; returns where the lines end. */
    private static long awaitPadding(Path segment) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            long end = dataEnd(segment);
            if (Files.size(segment) > end) {
                return end;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the segment was not zero-filled ahead of its lines within 10 s");
    }

    private static long dataEnd(Path segment) throws Exception {
        byte[] bytes = Files.readAllBytes(segment);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return end;
    }

    private static boolean onlyZerosFrom(Path segment, long from) throws Exception {
        byte[] bytes = Files.readAllBytes(segment);
        for (long i = from; i < bytes.length; i++) {
            if (bytes[(int) i] != 0) {
                return false;
            }
        }
        return bytes.length > from;
    }

    private static List<AuditEvent> events(Path dir) throws Exception {
        try (Stream<AuditEvent> events = AuditLogReader.events(dir)) {
            return events.toList();
        }
    }

    private static List<Long> seqs(Path dir) throws Exception {
        return events(dir).stream().map(e -> e.gatehouse().seq()).toList();
    }
}
