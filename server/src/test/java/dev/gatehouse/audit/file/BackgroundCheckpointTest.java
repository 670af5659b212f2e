package dev.gatehouse.audit.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditLogUnavailableException;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.TestEvents;
import dev.gatehouse.audit.checkpoint.Checkpoint;
import dev.gatehouse.audit.checkpoint.CheckpointLog;
import dev.gatehouse.audit.checkpoint.CheckpointSigner;
import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.merkle.MerkleFrontier;
import dev.gatehouse.audit.merkle.MerkleHash;
import dev.gatehouse.audit.verify.LogVerifier;
import dev.gatehouse.audit.verify.VerificationReport;

/** Interval and sealing checkpoints are written on the checkpoint thread; commits do not wait for them. */
@Timeout(60)
class BackgroundCheckpointTest {
    @TempDir
    Path tmp;

    @Test
    void aBackgroundCheckpointSignsTheFrontierAsHandedOverNotAsItGrowsAfter() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("audit"));
        MerkleFrontier frontier = frontierOf(3);
        byte[] rootAtThree = frontier.root();
        try (LeafSidecar leaves = LeafSidecar.rewrite(Segment.in(dir, 0), List.of());
             Checkpointer checkpointer = checkpointer(dir, CheckpointLog.open(dir))) {
            checkpointer.checkpointLater(frontier, leaves, false);
            frontier.append(MerkleHash.leaf("later".getBytes(StandardCharsets.UTF_8)));
            checkpointer.awaitPending();
            Checkpoint cp = checkpointer.last();
            assertThat(cp.treeSize()).isEqualTo(3);
            assertThat(cp.root()).isEqualTo(rootAtThree);
            assertThat(cp.frontier()).isNull(); // interval checkpoints stay small
            assertThat(checkpointer.takeFailure()).isNull();
        }
        assertThat(CheckpointLog.last(dir).treeSize()).isEqualTo(3);
    }

    @Test
    void aSealingCheckpointKeepsTheFrontierAndClosesTheSealedSidecar() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("audit"));
        LeafSidecar leaves = LeafSidecar.rewrite(Segment.in(dir, 0), List.of());
        try (Checkpointer checkpointer = checkpointer(dir, CheckpointLog.open(dir))) {
            checkpointer.checkpointLater(frontierOf(2), leaves, true);
            checkpointer.awaitPending();
            assertThat(checkpointer.last().frontier()).isNotNull();
        }
        assertThatThrownBy(leaves::sync).isInstanceOf(java.nio.channels.ClosedChannelException.class);
    }

    @Test
    void aFailedBackgroundCheckpointIsHandedBackOnceAndTheClosingCheckpointRefuses() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("audit"));
        CheckpointLog broken = CheckpointLog.open(dir);
        broken.close(); // appends now fail, as on a disk that went away
        try (LeafSidecar leaves = LeafSidecar.rewrite(Segment.in(dir, 0), List.of());
             Checkpointer checkpointer = checkpointer(dir, broken)) {
            checkpointer.checkpointLater(frontierOf(1), leaves, false);
            checkpointer.awaitPending();
            assertThat(checkpointer.last()).isNull();
            assertThat(checkpointer.takeFailure()).isInstanceOf(IOException.class);
            assertThat(checkpointer.takeFailure()).isNull();

            checkpointer.checkpointLater(frontierOf(2), leaves, false);
            assertThatThrownBy(() -> checkpointer.checkpoint(frontierOf(2), leaves, true))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void theLogFailsClosedWhenABackgroundCheckpointCannotBeWritten() throws Exception {
        Path dir = tmp.resolve("audit");
        FileAuditLogConfig config = FileAuditLogConfig.of(dir).withCheckpointInterval(Duration.ofMillis(1));
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(config)) {
            log.append(TestEvents.any()).get();
            Checkpointer live = log.checkpointer();
            live.awaitPending();
            closeCheckpointFile(live);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            boolean refused = false;
            while (!refused && System.nanoTime() < deadline) {
                try {
                    log.append(TestEvents.any()).get();
                    Thread.sleep(5);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(AuditLogUnavailableException.class);
                    refused = true;
                }
            }
            assertThat(refused).as("appends refused after the checkpoint failed").isTrue();
        }
    }

    @Test
    void aCrashAfterSealingBeforeTheSealingCheckpointRecoversAndVerifies() throws Exception {
        Path dir = tmp.resolve("audit");
        FileAuditLogConfig config = FileAuditLogConfig.of(dir).withSegmentBytes(4096)
                .withCheckpointInterval(Duration.ofHours(1));
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(config)) {
            for (int i = 0; i < 40; i++) {
                log.append(TestEvents.any()).get();
            }
        }
        List<Segment> segments = Segment.list(dir);
        assertThat(segments).hasSizeGreaterThan(2);
        long lastSealedEnd = segments.getLast().firstSeq();
        // the state of a crash after the last sealing: its checkpoint (and the closing one) never written
        Path file = dir.resolve(CheckpointLog.FILE);
        List<String> kept = Files.readAllLines(file).stream()
                .filter(line -> CheckpointLogLines.treeSize(line) < lastSealedEnd).toList();
        Files.write(file, kept);

        long signedBefore = kept.stream().mapToLong(CheckpointLogLines::treeSize).max().orElse(0);
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(config)) {
            assertThat(log.health().writable()).as(log.health().problem()).isTrue();
            // position 40 is the recovery event, signed before open returns
            assertThat(log.lastCheckpoint().treeSize()).isEqualTo(41);
            assertThat(log.append(TestEvents.any()).get()).isEqualTo(41);
        }
        VerificationReport report = new LogVerifier(KeyDirectory.in(dir).publicKeys()).verify(dir);
        assertThat(report.findings()).isEmpty();
        assertThat(report.events()).isEqualTo(42);
        AuditEvent recovered;
        try (AuditLogReader reader = AuditLogReader.from(dir, 40)) {
            recovered = reader.next().event();
        }
        assertThat(recovered.verb()).isEqualTo("recover");
        assertThat(recovered.gatehouse().details()).containsEntry("position", "40")
                .containsEntry("lastSignedSize", Long.toString(signedBefore))
                .containsEntry("unsignedEvents", Long.toString(40 - signedBefore))
                .containsEntry("unsignedFrom", Long.toString(signedBefore)).containsEntry("unsignedTo", "39")
                .containsEntry("unsignedLeavesMatched", Long.toString(40 - signedBefore))
                .containsEntry("unsignedLeavesDiffering", "").containsEntry("tailCut", "false")
                .containsEntry("uncleanStop", "false");
    }

    private static Checkpointer checkpointer(Path dir, CheckpointLog log) throws IOException {
        return new Checkpointer(new CheckpointSigner(KeyDirectory.in(dir).activeOrGenerate()), log, null,
                Duration.ofSeconds(10));
    }

    private static MerkleFrontier frontierOf(int leaves) {
        MerkleFrontier frontier = MerkleFrontier.empty();
        for (int i = 0; i < leaves; i++) {
            frontier.append(MerkleHash.leaf(("event " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return frontier;
    }

    /** Breaks the live checkpoint file the way a vanished disk would: its appends now fail. */
    private static void closeCheckpointFile(Checkpointer checkpointer) throws Exception {
        var field = Checkpointer.class.getDeclaredField("checkpoints");
        field.setAccessible(true);
        ((CheckpointLog) field.get(checkpointer)).close();
    }

    /** Reads {@code treeSize} from a checkpoint line without the signature check (the test edits the file). */
    private static final class CheckpointLogLines {
        static long treeSize(String line) {
            var m = java.util.regex.Pattern.compile("\"treeSize\"\\s*:\\s*(\\d+)").matcher(line);
            return m.find() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
        }
    }
}
