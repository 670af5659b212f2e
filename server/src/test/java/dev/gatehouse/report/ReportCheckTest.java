package dev.gatehouse.report;

import static dev.gatehouse.report.KnownLog.day;
import static dev.gatehouse.report.KnownLog.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.checkpoint.PublicKeys;

/**
 * An answer is checked against the log: it reproduces from an untouched log, and an edited answer file, an edited
 * log, a consistently re-hashed forgery and a checkpoint nobody trusted signed are each caught.
 */
class ReportCheckTest {
    @TempDir
    static Path dir;
    static Path logDir;
    static ReportAnswer answer;

    @BeforeAll
    static void answer() throws Exception {
        KnownLog log = new KnownLog();
        log.add(request("alice", "get", "secrets", "dev", "db-password", 200, 1).build());
        log.add(request("bob", "get", "secrets", "prod", "api-key", 200, 2).build());
        log.add(request("alice", "create", "configmaps", "dev", "cm", 201, 3).build());
        logDir = log.write(dir.resolve("audit"));
        answer = KnownLog.runner(logDir, null).run(day("secret-reads", Map.of()));
        assertThat(answer.count()).isEqualTo(2);
    }

    static ReportCheck.Result check(ReportAnswer a, Path log) throws Exception {
        ReportRunner runner = KnownLog.runner(log, null);
        PublicKeys keys = KeyDirectory.in(logDir).publicKeys();
        return ReportCheck.check(a, runner, keys, new FileReportSources(log, null, keys).verify());
    }

    static ReportAnswer withRows(ReportAnswer a, List<List<String>> rows, long count, String hash) {
        return new ReportAnswer(a.kind(), a.apiVersion(), a.query(), a.title(), a.period(), count, a.positions(),
                a.checkpoint(), a.canonicalForm(), hash, a.generatedAt(), a.columns(), rows);
    }

    @Test
    void anAnswerReproducesFromTheLogItRestsOn() throws Exception {
        ReportCheck.Result result = check(answer, logDir);
        assertThat(result.problems()).isEmpty();
        assertThat(result.rederived().rowsSha256()).isEqualTo(answer.rowsSha256());
        assertThat(answer.checkpoint().treeSize()).isEqualTo(3);
        assertThat(answer.positions().getFirst()).isEqualTo(new ReportAnswer.Positions(ReportAnswer.AUDIT_LOG, 0, 2,
                0, 1, List.of()));
    }

    @Test
    void anAnswerReadBackFromEachFormatThatCarriesItStillChecks() throws Exception {
        for (ReportFormat format : List.of(ReportFormat.JSON, ReportFormat.HTML)) {
            ReportAnswer read = ReportFormat.read(format.write(answer));
            assertThat(read).as(format.name()).isEqualTo(answer);
            assertThat(check(read, logDir).problems()).as(format.name()).isEmpty();
        }
    }

    @Test
    void anEditedRowIsCaughtByTheHash() throws Exception {
        List<List<String>> rows = new ArrayList<>(answer.rows());
        List<String> first = new ArrayList<>(rows.getFirst());
        first.set(first.indexOf("alice"), "mallory");
        rows.set(0, first);
        assertThat(check(withRows(answer, rows, answer.count(), answer.rowsSha256()), logDir).problems())
                .anySatisfy(p -> assertThat(p).contains("the answer was changed"));
    }

    @Test
    void aDroppedRowIsCaughtByTheCount() throws Exception {
        List<List<String>> rows = answer.rows().subList(1, 2);
        assertThat(check(withRows(answer, rows, answer.count(), answer.rowsSha256()), logDir).problems())
                .anySatisfy(p -> assertThat(p).contains("has 1 rows but says count 2"));
    }

    @Test
    void aForgeryWithARecomputedHashIsCaughtByReDerivation() throws Exception {
        List<List<String>> rows = answer.rows().subList(1, 2);
        String hash = CanonicalRows.sha256(answer.columns(), rows);
        ReportCheck.Result result = check(withRows(answer, rows, 1, hash), logDir);
        assertThat(result.problems()).anySatisfy(p -> assertThat(p).contains("re-derived from the log")
                .contains("(2 rows)"));
    }

    @Test
    void anEditedLogIsCaught(@TempDir Path copy) throws Exception {
        Path edited = copyOf(logDir, copy.resolve("audit"));
        boolean changed = false;
        try (Stream<Path> files = Files.walk(edited)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                if (text.contains("db-password")) {
                    Files.writeString(f, text.replace("db-password", "db-passw0rd"), StandardCharsets.ISO_8859_1);
                    changed = true;
                }
            }
        }
        assertThat(changed).isTrue();
        ReportCheck.Result result = check(answer, edited);
        assertThat(result.problems()).anySatisfy(p -> assertThat(p).contains("the log does not verify")
                .contains("MODIFIED"));
        assertThat(result.problems()).anySatisfy(p -> assertThat(p).contains("re-derived from the log"));
    }

    @Test
    void aCheckpointNoTrustedKeySignedIsCaught(@TempDir Path other) throws Exception {
        KnownLog log = new KnownLog();
        log.add(request("alice", "get", "secrets", "dev", "db-password", 200, 1).build());
        log.add(request("bob", "get", "secrets", "prod", "api-key", 200, 2).build());
        log.add(request("alice", "create", "configmaps", "dev", "cm", 201, 3).build());
        Path otherLog = log.write(other.resolve("audit"));
        ReportAnswer foreign = KnownLog.runner(otherLog, null).run(day("secret-reads", Map.of()));
        // trusting only the first log's key: the other log's checkpoint is not one of ours
        ReportRunner runner = KnownLog.runner(otherLog, null);
        PublicKeys ours = KeyDirectory.in(logDir).publicKeys();
        ReportCheck.Result result = ReportCheck.check(foreign, runner, ours,
                new FileReportSources(otherLog, null, ours).verify());
        assertThat(result.problems()).anySatisfy(p -> assertThat(p).contains("not signed by a trusted key"));
    }

    static Path copyOf(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }
}
