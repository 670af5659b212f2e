package dev.gatehouse.audit.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.TestEvents;
import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.checkpoint.PublicKeys;
import dev.gatehouse.audit.file.AuditLogReader;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;
import dev.gatehouse.audit.file.Segment;
import dev.gatehouse.audit.verify.LogVerifier;
import dev.gatehouse.audit.verify.VerificationReport;

class RetentionEnforcerTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @TempDir
    Path tmp;

    private void appendAt(ChainedFileAuditLog log, int n, Instant at) throws Exception {
        for (int i = 0; i < n; i++) {
            log.append(TestEvents.request("alice", "prod", "get", "pods", "default", "web", 200, at)).get();
        }
    }

    @Test
    void archivesThenDeletesPastRetentionRecordingEachDeletionAndBothDirectoriesStillVerify() throws Exception {
        Path live = tmp.resolve("audit");
        Path archive = tmp.resolve("archive");
        FileAuditLogConfig config = FileAuditLogConfig.of(live).withSegmentBytes(4096);
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(config)) {
            appendAt(log, 20, NOW.minus(Duration.ofDays(400)));
            appendAt(log, 20, NOW.minus(Duration.ofDays(100)));
            appendAt(log, 20, NOW.minus(Duration.ofDays(1)));
            signedThroughTheEnd(log);
            RetentionEnforcer enforcer = new RetentionEnforcer(log, live, RetentionPolicy.common(archive),
                    Clock.fixed(NOW, ZoneOffset.UTC));

            RetentionEnforcer.Result result = enforcer.run();
            assertThat(result.archived()).isNotEmpty();
            assertThat(result.deletedLive()).isNotEmpty();
            assertThat(result.deletedArchived()).isNotEmpty();
            assertThat(result.deletedArchived().size()).isLessThan(result.deletedLive().size());
            assertThat(Segment.list(live).getFirst().firstSeq()).isGreaterThan(30);
        }

        try (Stream<AuditEvent> events = AuditLogReader.events(live)) {
            List<AuditEvent> deletions = events.filter(e -> "auditsegments".equals(e.objectRef().resource())).toList();
            assertThat(deletions).extracting(e -> e.gatehouse().details().get("where"))
                    .containsExactly("live", "archive");
            assertThat(deletions.getFirst().gatehouse().details()).containsKeys("fromPosition", "toPosition",
                    "segments", "newestEvent");
        }

        VerificationReport liveReport = new LogVerifier(KeyDirectory.in(live).publicKeys()).verify(live);
        assertThat(liveReport.findings()).isEmpty();

        Path published = tmp.resolve("published");
        Files.createDirectories(published);
        try (Stream<Path> pubs = Files.list(KeyDirectory.in(live).path())) {
            for (Path p : pubs.filter(p -> p.toString().endsWith(".pub")).toList()) {
                Files.copy(p, published.resolve(p.getFileName()));
            }
        }
        VerificationReport archiveReport = new LogVerifier(PublicKeys.read(published)).verify(archive);
        assertThat(archiveReport.findings()).isEmpty();
        assertThat(archiveReport.events()).isPositive();

        String recent;
        try (Stream<AuditEvent> events = AuditLogReader.events(live)) {
            recent = events.filter(e -> "pods".equals(e.objectRef().resource())).toList().getLast().auditID();
        }
        var proof = new dev.gatehouse.audit.verify.InclusionProver(PublicKeys.read(published)).prove(live, recent);
        assertThat(proof.verify(PublicKeys.read(published))).isNull();
    }

    /**
     * Waits until the checkpoint thread has signed every event: the sealing checkpoints come before the last, and
     * retention moves a segment only once its end is signed.
     */
    private static void signedThroughTheEnd(ChainedFileAuditLog log) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            var last = log.lastCheckpoint();
            if (last != null && last.treeSize() == log.size()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the log did not sign its events within 5 s");
    }

    @Test
    void keepsASealedSegmentWhoseEndIsNotSignedYet() throws Exception {
        Path live = tmp.resolve("audit");
        Path archive = tmp.resolve("archive");
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(live).withSegmentBytes(4096))) {
            appendAt(log, 20, NOW.minus(Duration.ofDays(400)));
            appendAt(log, 5, NOW);
            signedThroughTheEnd(log);
        }
        // a crash between the seal and its checkpoint: the checkpoints at the segments' ends are missing
        Path checkpoints = live.resolve(dev.gatehouse.audit.checkpoint.CheckpointLog.FILE);
        long firstEnd = Segment.list(live).get(1).firstSeq();
        List<String> kept = Files.readAllLines(checkpoints).stream()
                .filter(l -> !l.contains("\"treeSize\":" + firstEnd + ",")).toList();
        assertThat(kept).hasSizeLessThan(Files.readAllLines(checkpoints).size());
        Files.write(checkpoints, kept);
        assertThat(SegmentArchiver.archive(live, archive)).as("nothing past an unsigned end is archived").isEmpty();
    }

    @Test
    void deletesNothingFromTheLiveDirectoryWhenArchivingFails() throws Exception {
        Path live = tmp.resolve("audit");
        Path archive = tmp.resolve("archive");
        Files.writeString(archive, "not a directory");
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(live).withSegmentBytes(4096))) {
            appendAt(log, 20, NOW.minus(Duration.ofDays(400)));
            appendAt(log, 5, NOW);
            List<Segment> before = Segment.list(live);
            RetentionEnforcer enforcer = new RetentionEnforcer(log, live, RetentionPolicy.common(archive),
                    Clock.fixed(NOW, ZoneOffset.UTC));
            assertThatThrownBy(enforcer::run).isInstanceOf(java.io.IOException.class);
            assertThat(Segment.list(live)).isEqualTo(before);
        }
    }
}
