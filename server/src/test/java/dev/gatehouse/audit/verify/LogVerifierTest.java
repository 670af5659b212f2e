package dev.gatehouse.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatehouse.audit.SystemEvents;
import dev.gatehouse.audit.TestEvents;
import dev.gatehouse.audit.checkpoint.Checkpoint;
import dev.gatehouse.audit.checkpoint.CheckpointLog;
import dev.gatehouse.audit.checkpoint.CheckpointSigner;
import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.checkpoint.SigningKey;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;
import dev.gatehouse.audit.merkle.MerkleFrontier;

class LogVerifierTest {
    private static final int EVENTS = 100;

    @TempDir
    Path tmp;

    /** Checkpoints only at close (the sidecar pinpoints), at every sealed segment, and after every batch. */
    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of("one checkpoint at close", 64L << 20, Duration.ofHours(1)),
                Arguments.of("a checkpoint per sealed segment", 4096L, Duration.ofHours(1)),
                Arguments.of("a checkpoint per batch", 64L << 20, Duration.ofNanos(1)));
    }

    private Path writeLog(long segmentBytes, Duration checkpointInterval) throws Exception {
        Path dir = tmp.resolve("audit");
        FileAuditLogConfig config = FileAuditLogConfig.of(dir).withSegmentBytes(segmentBytes)
                .withCheckpointInterval(checkpointInterval);
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(config)) {
            for (int i = 0; i < EVENTS; i++) {
                String user = i % 2 == 0 ? "alice" : "bob";
                String cluster = i % 3 == 0 ? "prod" : "staging";
                log.append(TestEvents.request(user, cluster, "get", "pods", "default", "web-" + i, 200,
                        Instant.parse("2026-03-0" + (1 + 2 * (i % 2)) + "T10:00:00Z"))).get();
            }
        }
        return dir;
    }

    private VerificationReport verify(Path dir) throws Exception {
        return new LogVerifier(KeyDirectory.in(dir).publicKeys()).verify(dir);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void intactLogVerifiesWithCountsPerClusterAndDay(String name, long segmentBytes, Duration interval)
            throws Exception {
        VerificationReport report = verify(writeLog(segmentBytes, interval));
        assertThat(report.findings()).isEmpty();
        assertThat(report.events()).isEqualTo(EVENTS);
        assertThat(report.signedSize()).isEqualTo(EVENTS);
        assertThat(report.counts()).extracting(PeriodCount::events).containsExactly(17L, 17L, 33L, 33L);
        assertThat(report.counts().stream().mapToLong(PeriodCount::events).sum()).isEqualTo(EVENTS);
        assertThat(report.quietDays()).extracting(PeriodCount::cluster, PeriodCount::day)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("prod", "2026-03-02"),
                        org.assertj.core.groups.Tuple.tuple("staging", "2026-03-02"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void detectsOneEditedByteAtItsPosition(String name, long segmentBytes, Duration interval) throws Exception {
        Path dir = writeLog(segmentBytes, interval);
        new LogTamper(dir).edit(40, line -> line.replace("\"web-40\"", "\"web-41\"")).write();
        assertThat(verify(dir).firstBad()).get().satisfies(f -> {
            assertThat(f.position()).isEqualTo(40);
            assertThat(f.kind()).isEqualTo(Finding.Kind.MODIFIED);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void detectsAnEditThatBreaksTheJson(String name, long segmentBytes, Duration interval) throws Exception {
        Path dir = writeLog(segmentBytes, interval);
        new LogTamper(dir).edit(40, line -> "!" + line.substring(1)).write();
        assertThat(verify(dir).firstBad()).get().extracting(Finding::position, Finding::kind)
                .containsExactly(40L, Finding.Kind.UNREADABLE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void detectsADeletedEventAtItsPosition(String name, long segmentBytes, Duration interval) throws Exception {
        Path dir = writeLog(segmentBytes, interval);
        new LogTamper(dir).delete(40).write();
        assertThat(verify(dir).firstBad()).get().extracting(Finding::position, Finding::kind)
                .containsExactly(40L, Finding.Kind.MISSING);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void detectsTwoSwappedEventsAtTheFirst(String name, long segmentBytes, Duration interval) throws Exception {
        Path dir = writeLog(segmentBytes, interval);
        new LogTamper(dir).swap(40, 41).write();
        assertThat(verify(dir).firstBad()).get().extracting(Finding::position, Finding::kind)
                .containsExactly(40L, Finding.Kind.MISSING);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void detectsAnInsertedEventAtItsPosition(String name, long segmentBytes, Duration interval) throws Exception {
        Path dir = writeLog(segmentBytes, interval);
        LogTamper tamper = new LogTamper(dir);
        tamper.insert(40, tamper.get(12)).write();
        assertThat(verify(dir).firstBad()).get().extracting(Finding::position, Finding::kind)
                .containsExactly(40L, Finding.Kind.OUT_OF_PLACE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void detectsADroppedTail(String name, long segmentBytes, Duration interval) throws Exception {
        Path dir = writeLog(segmentBytes, interval);
        new LogTamper(dir).truncateTo(90).write();
        assertThat(verify(dir).firstBad()).get().extracting(Finding::position, Finding::kind)
                .containsExactly(90L, Finding.Kind.TRUNCATED);
    }

    @Test
    void detectsACheckpointForgedWithAnotherKey() throws Exception {
        Path dir = writeLog(64L << 20, Duration.ofHours(1));
        MerkleFrontier lie = MerkleFrontier.empty();
        lie.append(new byte[32]);
        Checkpoint forged = new CheckpointSigner(SigningKey.generate()).sign(lie, Instant.now());
        Files.writeString(dir.resolve(CheckpointLog.FILE), CheckpointLog.toJson(forged) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        VerificationReport report = verify(dir);
        assertThat(report.firstBad()).get().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.BAD_CHECKPOINT);
            assertThat(f.position()).isEqualTo(1);
            assertThat(f.message()).contains("no trusted key verifies");
        });
    }

    @Test
    void detectsACheckpointWhoseSignedFieldsWereAltered() throws Exception {
        Path dir = writeLog(64L << 20, Duration.ofHours(1));
        Path file = dir.resolve(CheckpointLog.FILE);
        Files.writeString(file, Files.readString(file).replace("\"treeSize\":100", "\"treeSize\":99"));
        assertThat(verify(dir).findings()).extracting(Finding::kind).contains(Finding.Kind.BAD_CHECKPOINT);
    }

    @Test
    void theNewKeySignsAtOnceAfterARotationAndTheRepeatedSizeVerifies() throws Exception {
        Path dir = tmp.resolve("audit");
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir))) {
            log.append(TestEvents.any()).get();
            var rotation = log.rotateKey(r -> SystemEvents.keyRotated("test", r, "rotated by the test",
                    java.util.Map.of()));
            // the checkpoint thread signs in the background: wait (bounded) for the first checkpoint of the new key
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((log.lastCheckpoint() == null || !rotation.keyId().equals(log.lastCheckpoint().keyId()))
                    && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(log.lastCheckpoint()).as("a checkpoint was signed").isNotNull();
            assertThat(log.lastCheckpoint().keyId()).as("no event after the rotation").isEqualTo(rotation.keyId());
            assertThat(log.lastCheckpoint().treeSize()).isEqualTo(2);
            VerificationReport live = verify(dir);
            assertThat(live.findings()).isEmpty();
            assertThat(live.covered()).isTrue();
        }
        assertThat(verify(dir).findings()).isEmpty();
    }

    @Test
    void verifiesAcrossAKeyRotation() throws Exception {
        Path dir = tmp.resolve("audit");
        FileAuditLogConfig config = FileAuditLogConfig.of(dir).withCheckpointInterval(Duration.ofNanos(1));
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(config)) {
            log.append(TestEvents.any()).get();
            log.rotateKey(r -> SystemEvents.keyRotated("test", r, "rotated by the test", java.util.Map.of()));
            log.append(TestEvents.any()).get();
        }
        assertThat(KeyDirectory.in(dir).publicKeys().ids()).hasSize(2);
        VerificationReport report = verify(dir);
        assertThat(report.findings()).isEmpty();
        assertThat(report.signedSize()).isEqualTo(3);
    }
}
