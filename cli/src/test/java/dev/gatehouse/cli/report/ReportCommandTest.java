package dev.gatehouse.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;
import dev.gatehouse.cli.Main;
import dev.gatehouse.report.ReportAnswer;
import dev.gatehouse.report.ReportFormat;

/** {@code gatehouse report} over a log directory: answers, their check, and one line and exit 2 for mistakes. */
class ReportCommandTest {
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @TempDir
    static Path dir;
    static Path logDir;

    record Cli(int exit, String out, String err) {
    }

    static Cli gatehouse(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }

    static AuditEvent secretRead(String user, String name, int minute) {
        Instant at = T0.plus(Duration.ofMinutes(minute));
        return AuditEvent.builder().auditID("a-" + minute).requestURI("/api/v1/namespaces/dev/secrets/" + name)
                .verb("get").user(new AuditEvent.UserInfo(user, null, List.of("dev"), null))
                .sourceIPs(List.of("10.0.0.1")).objectRef(new AuditEvent.ObjectRef("secrets", "dev", name, "", "v1",
                        null))
                .responseStatus(new AuditEvent.ResponseStatus(Map.of(), null, null, null, 200))
                .receivedAt(at).stageAt(at)
                .gatehouse(new AuditEvent.Gatehouse("request", null, "prod", "allow", null, 1L, 0L, 1L,
                        new AuditEvent.Authn("oidc", "https://idp", null, false, List.of(), Map.of()), null, Map.of()))
                .build();
    }

    @BeforeAll
    static void log() throws Exception {
        logDir = dir.resolve("data").resolve("audit");
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(logDir)
                .withCheckpointInterval(Duration.ofMillis(100)))) {
            log.append(secretRead("alice", "db-password", 1)).get();
            log.append(secretRead("bob", "api-key", 2)).get();
            log.append(secretRead("alice", "tls-cert", 3)).get();
        }
    }

    static String[] period(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--log-dir", logDir.toString(), "--from", "2026-03-02T00:00:00Z", "--to",
                "2026-03-03T00:00:00Z"));
        return all.toArray(String[]::new);
    }

    @Test
    void listNamesTheReportsAndTheirParameters() {
        Cli list = gatehouse("report", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("privileged-actions", "secret-reads", "exec-session", "session=");
    }

    @Test
    void anAnswerWrittenToAFileChecksAgainstTheLog() throws Exception {
        Path file = dir.resolve("answer.json");
        Cli run = gatehouse(period("report", "secret-reads", "user=alice", "--out", file.toString()));
        assertThat(run.exit()).as(run.err()).isEqualTo(2); // secret-reads has no user parameter
        assertThat(run.err().lines()).hasSize(1).allSatisfy(l -> assertThat(l).contains("unknown parameter \"user\""));

        run = gatehouse(period("report", "secret-reads", "namespace=dev", "--out", file.toString()));
        assertThat(run.exit()).as(run.err()).isZero();
        ReportAnswer answer = ReportFormat.read(Files.readString(file));
        assertThat(answer.count()).isEqualTo(3);
        assertThat(answer.rows()).extracting(r -> r.get(6)).containsExactly("db-password", "api-key", "tls-cert");

        Cli check = gatehouse("report", "check", file.toString(), "--log-dir", logDir.toString());
        assertThat(check.exit()).as(check.err()).isZero();
        assertThat(check.out()).startsWith("OK: secret-reads, 3 records, rows sha256 " + answer.rowsSha256());
    }

    @Test
    void anHtmlAnswerChecksAndAnEditedOneDoesNot() throws Exception {
        Path html = dir.resolve("answer.html");
        Cli run = gatehouse(period("report", "secret-reads", "--format", "html", "-o", html.toString()));
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(gatehouse("report", "check", html.toString(), "-l", logDir.toString()).exit()).isZero();
        Path edited = dir.resolve("edited.html");
        Files.writeString(edited, Files.readString(html).replace("\"api-key\"", "\"other-key\""));
        Cli check = gatehouse("report", "check", edited.toString(), "-l", logDir.toString());
        assertThat(check.exit()).isEqualTo(1);
        assertThat(check.err()).contains("the answer was changed");
    }

    @Test
    void anEditedLogFailsTheCheck(@TempDir Path copy) throws Exception {
        Path file = dir.resolve("for-edit.json");
        assertThat(gatehouse(period("report", "secret-reads", "-o", file.toString())).exit()).isZero();
        Path edited = copy.resolve("audit");
        try (Stream<Path> files = Files.walk(logDir)) {
            for (Path f : files.toList()) {
                Path target = edited.resolve(logDir.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                    Files.writeString(target, text.replace("\"bob\"", "\"eve\""), StandardCharsets.ISO_8859_1);
                }
            }
        }
        Cli check = gatehouse("report", "check", file.toString(), "-l", edited.toString(), "--trusted-keys",
                logDir.resolve("keys").toString());
        assertThat(check.exit()).as(check.out()).isEqualTo(1);
        assertThat(check.err()).contains("the log does not verify");
    }

    @Test
    void mistakesAreOneLineAndExit2() throws Exception {
        for (String[] args : List.of(new String[] {"report", "no-such", "-l", logDir.toString()},
                new String[] {"report", "../etc", "-l", logDir.toString()},
                new String[] {"report", "secret-reads", "nokeyvalue", "-l", logDir.toString()},
                new String[] {"report", "secret-reads", "--format", "xml", "-l", logDir.toString()},
                new String[] {"report", "secret-reads", "-l", dir.resolve("missing").toString()},
                new String[] {"report", "check", dir.resolve("missing.json").toString(), "-l", logDir.toString()},
                new String[] {"report"})) {
            Cli cli = gatehouse(args);
            assertThat(cli.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(cli.err().lines()).as(String.join(" ", args)).hasSize(1);
        }
        Path csv = dir.resolve("answer.csv");
        assertThat(gatehouse(period("report", "secret-reads", "--format", "csv", "-o", csv.toString())).exit())
                .isZero();
        Cli check = gatehouse("report", "check", csv.toString(), "-l", logDir.toString());
        assertThat(check.exit()).isEqualTo(2);
        assertThat(check.err()).contains("CSV answer");
    }
}
