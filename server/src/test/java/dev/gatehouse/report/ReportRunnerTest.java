package dev.gatehouse.report;

import static dev.gatehouse.report.KnownLog.day;
import static dev.gatehouse.report.KnownLog.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.checkpoint.CheckpointLog;
import dev.gatehouse.audit.checkpoint.KeyDirectory;

/** The runner answers only over a checkpoint the log's keys verify and whose events are durable. */
class ReportRunnerTest {
    static Path log(Path dir) throws Exception {
        KnownLog log = new KnownLog();
        log.add(request("alice", "get", "secrets", "dev", "db-password", 200, 1).build());
        log.add(request("bob", "get", "secrets", "dev", "api-key", 200, 2).build());
        return log.write(dir);
    }

    static ReportRunner runner(Path logDir, long durable) {
        return new ReportRunner(Reports.standard(), new FileReportSources(logDir, null, null), () -> durable,
                Clock.fixed(KnownLog.at(600), ZoneOffset.UTC));
    }

    @Test
    void aLogWithoutACheckpointGivesNoAnswer(@TempDir Path dir) throws Exception {
        Path logDir = log(dir.resolve("audit"));
        Files.delete(logDir.resolve(CheckpointLog.FILE));
        assertThatThrownBy(() -> runner(logDir, Long.MAX_VALUE).run(day("secret-reads", Map.of())))
                .isInstanceOf(IOException.class).hasMessageContaining("no signed checkpoint");
    }

    @Test
    void aCheckpointTheLogsKeysDoNotVerifyGivesNoAnswer(@TempDir Path dir) throws Exception {
        Path logDir = log(dir.resolve("audit"));
        Path other = log(dir.resolve("other"));
        // the keys swapped for another log's: its checkpoints no longer verify
        Path keys = KeyDirectory.in(logDir).path();
        try (Stream<Path> pubs = Files.list(keys)) {
            for (Path p : pubs.toList()) {
                Files.delete(p);
            }
        }
        try (Stream<Path> pubs = Files.list(KeyDirectory.in(other).path())) {
            for (Path p : pubs.filter(p -> p.toString().endsWith(".pub")).toList()) {
                Files.copy(p, keys.resolve(p.getFileName()));
            }
        }
        assertThatThrownBy(() -> runner(logDir, Long.MAX_VALUE).run(day("secret-reads", Map.of())))
                .isInstanceOf(IOException.class).hasMessageContaining("does not verify");
    }

    @Test
    void aCheckpointBeyondWhatIsDurableGivesNoAnswer(@TempDir Path dir) throws Exception {
        Path logDir = log(dir.resolve("audit"));
        assertThatThrownBy(() -> runner(logDir, 1).run(day("secret-reads", Map.of())))
                .isInstanceOf(IOException.class).hasMessageContaining("only 1 are durable");
        assertThat(runner(logDir, 2).run(day("secret-reads", Map.of())).count()).isEqualTo(2);
    }
}
