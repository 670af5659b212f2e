package dev.gatehouse.report;

import static dev.gatehouse.report.KnownLog.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.checkpoint.PublicKeys;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;
import dev.gatehouse.audit.retention.SegmentArchiver;

/**
 * 13. An event from eleven months ago, in archived segments: the archive is a log directory of its own (segments,
 * the checkpoints that cover them, the keys), so an answer over it rests on the archive's checkpoint and checks
 * against it like any other.
 */
class ArchivedAnswersTest {
    @Test
    void anElevenMonthOldEventIsAnsweredFromTheArchiveAndChecks(@TempDir Path dir) throws Exception {
        Path logDir = dir.resolve("audit");
        int old = -11 * 30 * 1440;
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(logDir)
                .withCheckpointInterval(Duration.ofMillis(100)).withSegmentBytes(4096))) {
            log.append(request("alice", "get", "secrets", "dev", "old-secret", 200, old).build()).get();
            for (int i = 0; i < 30; i++) {
                log.append(request("bob", "get", "pods", "dev", "p" + i, 200, i).build()).get();
            }
        }
        Path archive = dir.resolve("archive");
        assertThat(SegmentArchiver.archive(logDir, archive)).isNotEmpty();

        Instant from = KnownLog.at(old).minus(Duration.ofDays(1));
        ReportRunner runner = new ReportRunner(Reports.standard(), new FileReportSources(archive, null, null),
                () -> Long.MAX_VALUE, Clock.fixed(KnownLog.at(0), ZoneOffset.UTC));
        ReportAnswer answer = runner.run(new ReportQuery("secret-reads", from, from.plus(Duration.ofDays(2)),
                Map.of()));
        assertThat(answer.rows()).singleElement().satisfies(r -> assertThat(r).contains("alice", "old-secret"));
        assertThat(answer.positions().getFirst().first()).isZero();
        assertThat(answer.checkpoint().treeSize()).isGreaterThan(1);

        PublicKeys keys = KeyDirectory.in(logDir).publicKeys();
        ReportCheck.Result check = ReportCheck.check(answer, runner, keys,
                new FileReportSources(archive, null, keys).verify());
        assertThat(check.problems()).isEmpty();

        ReportAnswer siem = runner.run(new ReportQuery("siem-export", from, from.plus(Duration.ofDays(2)), Map.of()));
        assertThat(siem.count()).isEqualTo(1);
        assertThat(siem.rows().getFirst().get(1)).contains("\"old-secret\"").contains("\"alice\"");
    }
}
