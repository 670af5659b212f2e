package dev.gatehouse.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.checkpoint.CheckpointLog;
import dev.gatehouse.audit.SystemEvents;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;
import dev.gatehouse.audit.file.Segment;

class AuditCommandTest {
    @TempDir
    Path tmp;
    Path dir;
    List<String> ids = new ArrayList<>();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    @BeforeEach
    void writeLog() throws Exception {
        dir = tmp.resolve("audit");
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir))) {
            for (int i = 0; i < 20; i++) {
                AuditEvent e = SystemEvents.by("alice", "get", "pods", "web-" + i, "test", Map.of());
                ids.add(e.auditID());
                log.append(e).get();
            }
        }
    }

    private int run(String... args) {
        return new CommandLine(new AuditCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void verifyPrintsOkAndExitsZeroForAnIntactLog() {
        assertThat(run("verify", "--log-dir", dir.toString())).isZero();
        assertThat(out.toString()).contains("20 events").contains("OK: every event matches the signed checkpoints")
                .contains("every event is covered by a verified signature").doesNotContain("UNSIGNED");
    }

    @Test
    void verifyNamesTheFirstBadPositionAndExitsOne() throws Exception {
        Path segment = dir.resolve(Segment.fileName(0));
        Files.writeString(segment, Files.readString(segment).replace("\"web-7\"", "\"web-8\""));
        assertThat(run("verify", "--log-dir", dir.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("FAILED at position 7: MODIFIED");
    }

    /** The state of a crash after event {@code signedSize - 1} was signed: later checkpoints never written. */
    private long dropCheckpointsAfter(long limit) throws Exception {
        Path file = dir.resolve(CheckpointLog.FILE);
        List<String> kept = new ArrayList<>();
        long signed = 0;
        for (String line : Files.readAllLines(file)) {
            long size = AuditEventJson.mapper().readTree(line).get("treeSize").asLong();
            if (size <= limit) {
                kept.add(line);
                signed = Math.max(signed, size);
            }
        }
        Files.write(file, kept);
        return signed;
    }

    @Test
    void verifyNamesEventsNoSignatureCoversAndExitsThreeUnlessTheUnsignedTailIsAllowed() throws Exception {
        long signed = dropCheckpointsAfter(12);
        assertThat(signed).isBetween(1L, 12L);
        assertThat(run("verify", "--log-dir", dir.toString())).isEqualTo(3);
        assertThat(out.toString()).contains("UNSIGNED: events " + signed + "..19 (" + (20 - signed) + ")")
                .contains((20 - signed) + " match the leaf hash recorded")
                .contains("NOT COVERED: events " + signed + "..19 are not signed yet").doesNotContain("OK");

        out.getBuffer().setLength(0);
        assertThat(run("verify", "--log-dir", dir.toString(), "--allow-unsigned-tail")).isZero();
        assertThat(out.toString()).contains("UNSIGNED: events " + signed + "..19")
                .contains("OK (unsigned tail allowed): every signed event matches the signed checkpoints and "
                        + "positions are continuous; events " + signed + "..19 are not signed yet");

        out.getBuffer().setLength(0);
        assertThat(run("verify", "--log-dir", dir.toString(), "--json")).isEqualTo(3);
        assertThat(out.toString()).contains("\"unsignedFrom\" : " + signed).contains("\"unsignedTo\" : 19");
    }

    @Test
    void aChangedEventInTheUnsignedTailIsFoundByItsRecordedLeafHash() throws Exception {
        long signed = dropCheckpointsAfter(12);
        Path segment = dir.resolve(Segment.fileName(0));
        Files.writeString(segment, Files.readString(segment).replace("\"web-16\"", "\"web-61\""));
        assertThat(run("verify", "--log-dir", dir.toString(), "--allow-unsigned-tail")).isEqualTo(1);
        assertThat(out.toString()).contains("FAILED at position 16: MODIFIED: the event differs from the leaf hash "
                + "recorded when it was written").contains("UNSIGNED: events " + signed + "..19");
    }

    @Test
    void withoutRecordedLeafHashesVerifySaysAChangeToTheUnsignedTailCannotBeDetected() throws Exception {
        long signed = dropCheckpointsAfter(12);
        Files.delete(dir.resolve(Segment.fileName(0).replace(".jsonl", ".leaves")));
        Path segment = dir.resolve(Segment.fileName(0));
        Files.writeString(segment, Files.readString(segment).replace("\"web-16\"", "\"web-61\""));
        assertThat(run("verify", "--log-dir", dir.toString())).isEqualTo(3);
        assertThat(out.toString()).contains("UNSIGNED: events " + signed + "..19")
                .contains("0 match the leaf hash").contains((20 - signed) + " have no recorded leaf hash, so a "
                        + "change to them cannot be detected");
    }

    @Test
    void missingDirectoryIsOneLineAndExitTwo() {
        assertThat(run("verify", "--log-dir", tmp.resolve("nope").toString())).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("gatehouse audit verify: no audit log directory at")
                .doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void proofWrittenByProveChecksWithOnlyThePublishedKey() throws Exception {
        Path proof = tmp.resolve("proof.json");
        assertThat(run("prove", ids.get(11), "--log-dir", dir.toString(), "-o", proof.toString())).isZero();
        Path published = tmp.resolve("published.pub");
        try (Stream<Path> keys = Files.list(dir.resolve("keys"))) {
            Files.copy(keys.filter(p -> p.toString().endsWith(".pub")).findFirst().orElseThrow(), published);
        }
        assertThat(run("check-proof", proof.toString(), "--trusted-keys", published.toString())).isZero();
        assertThat(out.toString()).contains("OK: event " + ids.get(11) + " is at position 11");

        Files.writeString(proof, Files.readString(proof).replace("web-11", "web-12"));
        assertThat(run("check-proof", proof.toString(), "--trusted-keys", published.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("INVALID");
    }

    @Test
    void proveOfAnUnknownIdIsOneLine() {
        assertThat(run("prove", "no-such-id", "--log-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).contains("no event with audit id no-such-id").doesNotContain("\n");
    }

    @Test
    void queryPrintsMatchingEventsAsCsvAndJsonLines() {
        assertThat(run("query", "--log-dir", dir.toString(), "--name", "web-3", "-o", "csv")).isZero();
        assertThat(out.toString()).startsWith("seq,time,cluster,user").contains(",alice,get,pods,,web-3,")
                .contains(ids.get(3));
        out.getBuffer().setLength(0);
        assertThat(run("query", "--log-dir", dir.toString(), "--user", "alice", "--limit", "2", "-o", "jsonl"))
                .isZero();
        assertThat(out.toString().lines()).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{\"kind\":\"Event\""));
    }

    @Test
    void queryRejectsABadTimeInOneLine() {
        assertThat(run("query", "--log-dir", dir.toString(), "--from", "yesterday")).isEqualTo(2);
        assertThat(err.toString().lines().findFirst().orElseThrow()).contains("--from")
                .contains("expected: an RFC 3339 time").doesNotContain("Exception");
    }

    @Test
    void exportWritesOcsfLinesForARange() throws Exception {
        Path file = tmp.resolve("export.jsonl");
        assertThat(run("export", "--log-dir", dir.toString(), "--shape", "ocsf", "--from-position", "5",
                "--to-position", "9", "-o", file.toString())).isZero();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(5).allSatisfy(l -> assertThat(l).contains("\"class_uid\":6003"));
        assertThat(lines.getFirst()).contains(ids.get(5));
    }

    @Test
    void exportRejectsAnUnknownShapeInOneLine() {
        assertThat(run("export", "--log-dir", dir.toString(), "--shape", "cef")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo(
                "gatehouse audit export: export.shape: cef (expected: kubernetes or ocsf)");
    }

    @Test
    void rotateKeyOfflineRecordsTheRotationAndTheLogStillVerifies() throws Exception {
        Path keys = dir.resolve("keys");
        String before = Files.readString(keys.resolve("active")).strip();

        assertThat(run("rotate-key", "--log-dir", dir.toString())).as(err.toString()).isZero();
        String after = Files.readString(keys.resolve("active")).strip();
        assertThat(after).isNotEqualTo(before);
        assertThat(out.toString()).contains(before + " -> " + after).contains("-----BEGIN PUBLIC KEY-----");
        assertThat(keys.resolve("ed25519-" + before + ".key")).doesNotExist();
        assertThat(keys.resolve("ed25519-" + before + ".pub")).exists();

        List<AuditEvent> rotations;
        try (Stream<AuditEvent> events = dev.gatehouse.audit.file.AuditLogReader.events(dir)) {
            rotations = events.filter(e -> "key-rotation".equals(e.gatehouse().type())).toList();
        }
        assertThat(rotations).singleElement().satisfies(e -> {
            assertThat(e.user().username()).isEqualTo(RotateKeyCommand.OFFLINE_USER);
            assertThat(e.gatehouse().details()).containsEntry("previousKeyId", before).containsEntry("keyId", after)
                    .containsKey("osUser");
        });
        out.getBuffer().setLength(0);
        assertThat(run("verify", "--log-dir", dir.toString())).isZero();
        assertThat(out.toString()).contains("21 events").contains("OK:");
    }

    @Test
    void rotateKeyOfflineRefusesALogAGatewayIsWriting() throws Exception {
        String before = Files.readString(dir.resolve("keys").resolve("active")).strip();
        try (ChainedFileAuditLog running = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir))) {
            assertThat(run("rotate-key", "--log-dir", dir.toString())).isEqualTo(2);
        }
        assertThat(err.toString()).contains("gatehouse audit rotate-key: ").contains("--server URL")
                .doesNotContain("Exception").hasLineCount(1);
        assertThat(Files.readString(dir.resolve("keys").resolve("active")).strip()).isEqualTo(before);
    }

    @Test
    void rotateKeyOfflineRefusesADirectoryThatIsNoLog() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("not-a-log"));
        assertThat(run("rotate-key", "--log-dir", empty.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is not an audit log");
        try (Stream<Path> files = Files.list(empty)) {
            assertThat(files).isEmpty();
        }
    }
}
