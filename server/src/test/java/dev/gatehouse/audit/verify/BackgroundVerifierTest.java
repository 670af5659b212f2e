package dev.gatehouse.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.TestEvents;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;

class BackgroundVerifierTest {
    @TempDir
    Path tmp;

    @Test
    void acceptsNewCheckpointsAndAlertsOnAnEventChangedOnDisk() throws Exception {
        Path dir = tmp.resolve("audit");
        FileAuditLogConfig config = FileAuditLogConfig.of(dir).withCheckpointInterval(Duration.ofNanos(1));
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(config);
             BackgroundVerifier verifier = new BackgroundVerifier(dir)) {
            for (int i = 0; i < 10; i++) {
                log.append(TestEvents.any()).get();
            }
            awaitCheckpoint(log, 10);
            verifier.check();
            assertThat(verifier.health().ok()).isTrue();
            assertThat(verifier.health().verifiedSize()).isEqualTo(10);

            new LogTamper(dir).edit(5, line -> line.replace("alice", "alicf")).write();
            log.append(TestEvents.any()).get();
            verifier.check();
            assertThat(verifier.health().verifiedSize()).isEqualTo(10);
            // events already verified are not rehashed; a full verify finds position 5
            assertThat(new LogVerifier(dev.gatehouse.audit.checkpoint.KeyDirectory.in(dir).publicKeys())
                    .verify(dir).firstBad()).get().extracting(Finding::position).isEqualTo(5L);
        }
    }

    @Test
    void alertsWhenTheLogNoLongerHoldsWhatACheckpointSigned() throws Exception {
        Path dir = tmp.resolve("audit");
        FileAuditLogConfig config = FileAuditLogConfig.of(dir).withCheckpointInterval(Duration.ofNanos(1));
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(config);
             BackgroundVerifier verifier = new BackgroundVerifier(dir)) {
            for (int i = 0; i < 10; i++) {
                log.append(TestEvents.any()).get();
            }
            awaitCheckpoint(log, 10);
            new LogTamper(dir).edit(5, line -> line.replace("alice", "alicf")).write();
            verifier.check();
            assertThat(verifier.health().ok()).isFalse();
            assertThat(verifier.health().problem()).contains("does not match the events on disk");
            assertThat(verifier.failures()).isEqualTo(1);
        }
    }

    static void awaitCheckpoint(ChainedFileAuditLog log, long size) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while ((log.lastCheckpoint() == null || log.lastCheckpoint().treeSize() < size)
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(log.lastCheckpoint().treeSize()).isEqualTo(size);
    }
}
