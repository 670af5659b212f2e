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
        assertThat(out.toString()).contains("20 events").contains("OK:");
    }

    @Test
    void verifyNamesTheFirstBadPositionAndExitsOne() throws Exception {
        Path segment = dir.resolve(Segment.fileName(0));
        Files.writeString(segment, Files.readString(segment).replace("\"web-7\"", "\"web-8\""));
        assertThat(run("verify", "--log-dir", dir.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("FAILED at position 7: MODIFIED");
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
}
