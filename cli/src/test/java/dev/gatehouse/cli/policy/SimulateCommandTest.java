package dev.gatehouse.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.SystemEvents;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;
import dev.gatehouse.cli.Main;

class SimulateCommandTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path tmp;
    Path logDir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    /** A completed request event as the recorder writes it. */
    static AuditEvent request(String id, int minute, String user, List<String> groups, String method, String verb,
                              String uri, AuditEvent.ObjectRef ref, String decision, String stage) {
        AuditEvent.Authn authn = new AuditEvent.Authn("oidc", "https://idp", "jti-" + id, false, List.of(),
                Map.of("repository", "org/repo"));
        AuditEvent.Gatehouse g = new AuditEvent.Gatehouse("request", null, "prod", decision, null, 10L, 0L, 0L,
                authn, "impersonate", null);
        return AuditEvent.builder().auditID(id).stage(stage).requestURI(uri).verb(verb)
                .user(new AuditEvent.UserInfo(user, "", groups, null)).objectRef(ref)
                .receivedAt(T0.plusSeconds(60L * minute)).stageAt(T0.plusSeconds(60L * minute)).gatehouse(g).build();
    }

    static AuditEvent.ObjectRef ref(String resource, String namespace, String name, String group, String sub) {
        return new AuditEvent.ObjectRef(resource, namespace, name, group, "v1", sub);
    }

    @BeforeEach
    void writeLog() throws Exception {
        logDir = tmp.resolve("audit");
        String done = AuditEvent.STAGE_RESPONSE_COMPLETE;
        List<AuditEvent> events = List.of(
                request("a1", 0, "alice", List.of("developers"), "DELETE", "delete",
                        "/clusters/prod/api/v1/namespaces/team-a", ref("namespaces", "team-a", "team-a", "", ""),
                        "allow", done),
                request("a2", 1, "alice", List.of("developers"), "GET", "list",
                        "/clusters/prod/api/v1/namespaces/team-a/pods?limit=500", ref("pods", "team-a", "", "", ""),
                        "allow", done),
                request("a3", 2, "carol", List.of("auditors"), "DELETE", "delete",
                        "/clusters/prod/api/v1/namespaces/team-a/pods/web-0", ref("pods", "team-a", "web-0", "", ""),
                        "allow", done),
                request("a4", 3, "alice", List.of("developers"), "POST", "create",
                        "/clusters/prod/apis/apps/v1/namespaces/team-a/deployments",
                        ref("deployments", "team-a", "", "apps", ""), "allow", done),
                request("a5", 4, "bob", List.of("sre"), "DELETE", "delete",
                        "/clusters/prod/api/v1/namespaces/team-b", ref("namespaces", "team-b", "team-b", "", ""),
                        "review", done),
                // not replayed: an earlier stage, a refusal before policy, a system event
                request("a6", 5, "alice", List.of("developers"), "DELETE", "delete",
                        "/clusters/prod/api/v1/namespaces/team-c", ref("namespaces", "team-c", "team-c", "", ""),
                        "allow", AuditEvent.STAGE_REQUEST_RECEIVED),
                request("a7", 6, "alice", List.of("developers"), "DELETE", "delete",
                        "/clusters/prod/api/v1/namespaces/team-c", ref("namespaces", "team-c", "team-c", "", ""),
                        "refused", done),
                SystemEvents.by("alice", "get", "pods", "web", "test", Map.of()),
                request("a8", 90, "alice", List.of("developers"), "DELETE", "delete",
                        "/clusters/prod/api/v1/namespaces/late", ref("namespaces", "late", "late", "", ""),
                        "allow", done));
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(logDir))) {
            for (AuditEvent e : events) {
                log.append(e).get();
            }
        }
    }

    int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void namesEveryRequestTheCandidateWouldDecideDifferently() throws Exception {
        Path policy = Files.writeString(tmp.resolve("candidate.yaml"), PolicyCommandTest.POLICY);
        assertThat(run("policy", "simulate", "--policy", policy.toString(), "--log-dir", logDir.toString(),
                "--from", "2026-03-01T10:00:00Z", "--to", "2026-03-01T11:00:00Z")).isZero();
        String text = out.toString();
        assertThat(text).contains("5 recorded requests from 2026-03-01T10:00:00Z to 2026-03-01T11:00:00Z: "
                + "2 unchanged, 2 would change, 1 undecidable (needs the object)");
        assertThat(text).containsPattern("allow -> deny\\s+1").containsPattern("allow -> review\\s+1");
        assertThat(text).containsPattern("a1\\s+alice\\s+delete namespaces team-a/team-a\\s+allow -> review\\s+"
                + "hold-namespace-delete \\(candidate.yaml:11\\)");
        assertThat(text).containsPattern("a3\\s+carol\\s+delete pods team-a/web-0\\s+allow -> deny\\s+"
                + "auditors-read-only \\(candidate.yaml:7\\)");
        assertThat(text).contains("undecidable (needs the object):")
                .containsPattern("a4\\s+alice\\s+create deployments team-a\\s+allow\\s+big-deployments "
                        + "\\(candidate.yaml:15\\)");
        assertThat(text).doesNotContain("a6").doesNotContain("a7").doesNotContain("late");
    }

    @Test
    void writesJsonForMachines() throws Exception {
        Path policy = Files.writeString(tmp.resolve("candidate.yaml"), PolicyCommandTest.POLICY);
        assertThat(run("policy", "simulate", "--policy", policy.toString(), "--log-dir", logDir.toString(),
                "--output", "json")).isZero();
        JsonNode result = new ObjectMapper().readTree(out.toString());
        assertThat(result.get("requests").asInt()).isEqualTo(6);
        assertThat(result.get("changed").asInt()).isEqualTo(3);
        assertThat(result.get("transitions").get("allow -> review").asInt()).isEqualTo(2);
        assertThat(result.get("undecidable").size()).isEqualTo(1);
        assertThat(result.get("changes").get(0).get("auditID").asText()).isEqualTo("a1");
        assertThat(result.get("sha256").asText()).hasSize(64);
    }

    @Test
    void aBadCandidateOrLogDirectoryIsOneLineAndExitOne() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "apiVersion: gatehouse.dev/v1\nkind: Policy\n");
        assertThat(run("policy", "simulate", "--policy", bad.toString(), "--log-dir", logDir.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).isEqualTo("gatehouse policy simulate: " + bad + ": default: missing (expected: "
                + "default: allow, deny or review)" + System.lineSeparator());
        err.getBuffer().setLength(0);
        assertThat(run("policy", "simulate", "--policy", "builtin:default", "--log-dir",
                tmp.resolve("nope").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no audit log directory at");
    }
}
