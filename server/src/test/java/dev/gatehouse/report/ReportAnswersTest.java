package dev.gatehouse.report;

import static dev.gatehouse.report.KnownLog.at;
import static dev.gatehouse.report.KnownLog.day;
import static dev.gatehouse.report.KnownLog.request;
import static dev.gatehouse.report.KnownLog.review;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.SystemEvents;
import dev.gatehouse.session.FileRecordingStore;
import dev.gatehouse.session.RecordingStore;
import dev.gatehouse.session.SessionSummary;

/** Each report over one log of known events: exactly the rows it must hold, in log order. */
class ReportAnswersTest {
    static final String SESSION = "0f8e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b";
    static final String RAW = "a".repeat(64);
    static final String CAST = "b".repeat(64);

    @TempDir
    static Path dir;
    static ReportRunner runner;
    static final KnownLog LOG = new KnownLog();
    static int oldUser, earlier, podRead, create, denied, secretGet, secretList, breakGlass, delegatedUpdate,
            anonymous, r1Created, r1Approved, r1Action, r2Created, r2Action, r2Approved, r3Created, r3Expired,
            r3Refused, readCarol, readAlice, sessionStart, sessionEnd, script, formula, g1, g2, g2Used, recover;

    @BeforeAll
    static void writeLog() throws Exception {
        oldUser = LOG.add(request("olduser", "get", "pods", "dev", "p", 200, -200 * 1440).build());
        earlier = LOG.add(request("alice", "delete", "pods", "dev", "p", 200, -1440).build());
        podRead = LOG.add(request("alice", "get", "pods", "dev", "p", 200, 0).build());
        create = LOG.add(request("alice", "create", "configmaps", "dev", "cm", 201, 1).build());
        denied = LOG.add(request("bob", "delete", "pods", "prod", "api-0", 403, 2).build());
        secretGet = LOG.add(request("alice", "get", "secrets", "dev", "db-password", 200, 3).build());
        secretList = LOG.add(request("alice", "list", "secrets", "dev", null, 200, 4).build());
        breakGlass = LOG.add(request("root", "get", "pods", "prod", "api-0", 200, 5)
                .authn(KnownLog.staticToken("sha256:feed")).build());
        delegatedUpdate = LOG.add(request("alice", "update", "deployments", "shop", "web", 200, 6).apiGroup("apps")
                .authn(KnownLog.delegated(List.of("ci-pipeline"), Map.of("ci.repository", "acme/shop"))).build());
        anonymous = LOG.add(request("system:anonymous", "get", "namespaces", null, null, 401, 7).decision("refused")
                .authn(null).build());
        r1Created = LOG.add(review("created", "R1", "alice", "alice", "pending", false, 8, "hotfix INC-7"));
        r1Approved = LOG.add(review("approved", "R1", "bob", "alice", "approved", true, 9, "ok"));
        r1Action = LOG.add(request("alice", "patch", "deployments", "shop", "web", 200, 10).apiGroup("apps")
                .decision("review").detail("reviewId", "R1").build());
        r2Created = LOG.add(review("created", "R2", "carol", "carol", "pending", false, 11, null));
        r2Action = LOG.add(request("carol", "delete", "deployments", "shop", "web", 200, 12).apiGroup("apps")
                .decision("review").detail("reviewId", "R2").build());
        r2Approved = LOG.add(review("approved", "R2", "carol", "carol", "approved", true, 13, null));
        r3Created = LOG.add(review("created", "R3", "dave", "dave", "pending", false, 14, null));
        r3Expired = LOG.add(review("expired", "R3", "system:gatehouse", "dave", "expired", false, 15, null));
        r3Refused = LOG.add(request("dave", "delete", "deployments", "shop", "web", 403, 16).apiGroup("apps")
                .decision("review").detail("reviewId", "R3").build());
        readCarol = LOG.add(KnownLog.evidenceRead("carol", "query", 200, 17));
        readAlice = LOG.add(KnownLog.evidenceRead("alice", "query", 403, 18));
        String execUri = "/api/v1/namespaces/shop/pods/web-0/exec?command=sh&command=-c&command=ls%20-l"
                + "&container=app&stdin=true";
        sessionStart = LOG.add(request("alice", "create", "pods", "shop", "web-0", 101, 19).subresource("exec")
                .uri(execUri).stage(AuditEvent.STAGE_RESPONSE_STARTED).auditId("exec-1").detail("session", SESSION)
                .build());
        sessionEnd = LOG.add(request("alice", "create", "pods", "shop", "web-0", 101, 20).subresource("exec")
                .uri(execUri).auditId("exec-1").detail("session", SESSION).detail("endedBy", "peer")
                .detail("exitCode", "0").detail("filesCopied", "1").detail("recording.rawSha256", RAW)
                .detail("recording.castSha256", CAST).detail("recording.capture", "full").build());
        script = LOG.add(request("alice", "create", "configmaps", "dev", "<script>alert(1)</script>", 201, 21)
                .build());
        formula = LOG.add(request("=SUM(A1)", "create", "configmaps", "dev", "x", 201, 22).build());
        g1 = LOG.add(grant("grant-approved", "G1", "erin", 23));
        g2 = LOG.add(grant("grant-approved", "G2", "frank", 24));
        g2Used = LOG.add(grant("grant-used", "G2", "frank", 25));
        recover = LOG.add(system("recover", 30));
        Path logDir = LOG.write(dir.resolve("audit"));
        FileRecordingStore sessions = new FileRecordingStore(dir.resolve("sessions"));
        sessions.writeSummary(summary(RAW, CAST));
        runner = KnownLog.runner(logDir, sessions);
    }

    static SessionSummary summary(String raw, String cast) {
        return new SessionSummary(SESSION, "exec-1", "prod", "alice", List.of("developers"), "shop", "web-0", "app",
                "exec", List.of("sh", "-c", "ls -l"), false, true, "websocket/v5.channel.k8s.io", at(19).toString(),
                at(20).toString(), 0, "exit", 10, 20, 0, "full", new RecordingStore.Sealed(1, raw, 2, cast),
                List.of(new SessionSummary.CopiedFile("to-pod", "/tmp/dump.sql", 1234, "c".repeat(64))), List.of());
    }

    static AuditEvent grant(String step, String id, String requester, int minute) {
        return AuditEvent.builder().auditID(java.util.UUID.randomUUID().toString()).requestURI("").verb(step)
                .user(new AuditEvent.UserInfo("approver", null, List.of(), null))
                .objectRef(new AuditEvent.ObjectRef("grants", null, id, "gatehouse.dev", "v1", null))
                .receivedAt(at(minute)).stageAt(at(minute))
                .gatehouse(new AuditEvent.Gatehouse("grant", null, "prod", "approved", "grant", null, null, null, null,
                        null, Map.of("grantId", id, "requester", requester, "decisive", "true",
                        "scope", "cluster prod", "validUntil", at(minute + 60).toString())))
                .build();
    }

    /** A system event as SystemEvents writes it, at a chosen time. */
    static AuditEvent system(String verb, int minute) {
        AuditEvent e = SystemEvents.of(verb, "auditlog", "segment-0", "torn tail", Map.of());
        return AuditEvent.builder().auditID(e.auditID()).requestURI(e.requestURI()).verb(e.verb()).user(e.user())
                .objectRef(e.objectRef()).receivedAt(at(minute)).stageAt(at(minute)).gatehouse(e.gatehouse()).build();
    }

    static ReportAnswer run(String report) throws Exception {
        return runner.run(day(report, Map.of()));
    }

    static ReportAnswer run(String report, Map<String, String> parameters) throws Exception {
        return runner.run(day(report, parameters));
    }

    static List<Long> seqs(ReportAnswer a) {
        return a.rows().stream().map(r -> Long.parseLong(r.get(0))).toList();
    }

    static List<String> column(ReportAnswer a, String name) {
        int i = a.columns().indexOf(name);
        return a.rows().stream().map(r -> r.get(i)).toList();
    }

    static List<Long> positions(int... p) {
        return java.util.Arrays.stream(p).mapToObj(Long::valueOf).toList();
    }

    @Test
    void privilegedActionsAreTheChangesSessionsSecretsAndBreakGlassOfThePeriodWithThePciFields() throws Exception {
        ReportAnswer a = run("privileged-actions");
        assertThat(seqs(a)).isEqualTo(positions(create, denied, secretGet, secretList, breakGlass, delegatedUpdate,
                r1Action, r2Action, r3Refused, sessionEnd, script, formula));
        assertThat(a.count()).isEqualTo(12);
        assertThat(a.columns()).contains("user", "eventType", "time", "outcome", "origin", "resource");
        assertThat(a.rows().get(1)).containsSubsequence("bob", "delete pods", "failure", "403", "10.0.0.7");
        assertThat(column(a, "why")).containsSubsequence("change", "change", "secret", "secret", "break-glass credential");
        assertThat(column(a, "eventType").get(9)).isEqualTo("create pods/exec");
        // the period is honoured: alice's delete of the day before is not in it
        assertThat(seqs(a)).doesNotContain((long) earlier);
        assertThat(seqs(run("privileged-actions", Map.of("user", "bob")))).isEqualTo(positions(denied));
    }

    @Test
    void heldRequestsSayWhetherApprovalCameFirstAndFromSomeoneElse() throws Exception {
        ReportAnswer a = run("held-requests");
        assertThat(seqs(a)).isEqualTo(positions(r1Created, r2Created, r3Created));
        assertThat(column(a, "reviewId")).containsExactly("R1", "R2", "R3");
        assertThat(column(a, "approvers")).containsExactly("bob", "carol", "");
        assertThat(column(a, "actionSeq")).containsExactly(Integer.toString(r1Action), Integer.toString(r2Action), "");
        assertThat(column(a, "approvedBeforeAction")).containsExactly("yes", "no", "n/a");
        assertThat(column(a, "approverNotRequester")).containsExactly("yes", "no", "n/a");
        assertThat(column(a, "verdict")).containsExactly("ok", "VIOLATION: acted without a prior approval",
                "not acted on");
        assertThat(column(a, "state")).containsExactly("approved", "approved", "expired");
    }

    @Test
    void refusedRequestsListDenialsRefusalsHoldsAndExpiriesWithWhoAsked() throws Exception {
        ReportAnswer a = run("refused-requests");
        assertThat(seqs(a)).isEqualTo(positions(denied, anonymous, r1Created, r2Created, r3Created, r3Expired,
                r3Refused));
        assertThat(column(a, "what")).containsExactly("denied", "refused", "review created", "review created",
                "review created", "review expired", "held, not let through");
        assertThat(column(a, "askedBy")).containsExactly("bob", "system:anonymous", "alice", "carol", "dave", "dave",
                "dave");
    }

    @Test
    void secretReadsNameTheSecretsAndNeverCarryAValue() throws Exception {
        ReportAnswer a = run("secret-reads");
        assertThat(seqs(a)).isEqualTo(positions(secretGet, secretList));
        assertThat(column(a, "secret")).containsExactly("db-password", "(all, by list)");
        assertThat(column(a, "user")).containsExactly("alice", "alice");
        assertThat(run("secret-reads", Map.of("namespace", "prod")).rows()).isEmpty();
    }

    @Test
    void actorChainsNameTheAgentAndOnWhoseBehalf() throws Exception {
        ReportAnswer a = run("actor-chains");
        assertThat(seqs(a)).isEqualTo(positions(delegatedUpdate));
        assertThat(a.rows().get(0)).containsSubsequence("alice", "ci-pipeline", "delegated");
        assertThat(column(a, "ciAttributes")).containsExactly("ci.repository=acme/shop");
        assertThat(run("actor-chains", Map.of("actor", "someone-else")).rows()).isEmpty();
    }

    @Test
    void credentialUseSharesAndInventory() throws Exception {
        ReportAnswer a = run("credential-use");
        // 14 completed requests in the period: 11 personal, 1 break-glass, 1 delegated, 1 unauthenticated
        assertThat(a.rows()).extracting(r -> r.get(0) + "|" + r.get(1) + "|" + r.get(5) + "|" + r.get(6))
                .containsExactly(
                        "category|break-glass or static credential|1|7.1",
                        "category|delegated (agent acting for a person)|1|7.1",
                        "category|named person|11|78.6",
                        "category|unauthenticated|1|7.1",
                        "credential|break-glass or static credential|1|7.1",
                        "credential|delegated (agent acting for a person)|1|7.1");
        assertThat(a.rows().get(4)).containsSubsequence("static-token", "sha256:feed", "root");
    }

    @Test
    void oneExecSessionWhoWhyApproverCommandAndFiles() throws Exception {
        ReportAnswer a = run("exec-session", Map.of("session", SESSION));
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        a.rows().forEach(r -> fields.merge(r.get(1), r.get(2), (x, y) -> x + "; " + y));
        assertThat(fields).containsEntry("user", "alice").containsEntry("command", "sh -c ls -l")
                .containsEntry("container", "app").containsEntry("pod", "web-0").containsEntry("exitCode", "0")
                .containsEntry("recording.rawSha256", RAW).containsEntry("filesCopied", "1")
                .containsEntry("file", "to-pod /tmp/dump.sql 1234 bytes sha256 " + "c".repeat(64));
        assertThat(fields.get("replay")).startsWith("/gatehouse/v1/audit/sessions/" + SESSION + "/cast");
        assertThat(seqs(a)).containsOnly((long) sessionStart, (long) sessionEnd);
        assertThatThrownBy(() -> run("exec-session", Map.of("session", "../../etc/passwd")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("session=");
        assertThatThrownBy(() -> run("exec-session")).hasMessageContaining("session is required");
    }

    @Test
    void copiedFilesComeFromTheSummaryOnlyWhenItIsTheOneTheLogRecorded() throws Exception {
        ReportAnswer a = run("copied-files");
        assertThat(seqs(a)).isEqualTo(positions(sessionEnd));
        assertThat(a.rows().get(0)).containsSubsequence("alice", "prod", "shop", "web-0", SESSION, "to-pod",
                "/tmp/dump.sql", "1234", "c".repeat(64));
    }

    @Test
    void copiedFilesDistrustASummaryWhoseRecordingDiffersFromTheLog(@TempDir Path other) throws Exception {
        FileRecordingStore forged = new FileRecordingStore(other);
        forged.writeSummary(summary("d".repeat(64), CAST));
        ReportAnswer a = KnownLog.runner(dir.resolve("audit"), forged).run(day("copied-files", Map.of()));
        assertThat(a.rows()).hasSize(1);
        assertThat(column(a, "path").get(0)).contains("not the one the log recorded");
        assertThat(column(a, "sha256").get(0)).isEmpty();
    }

    @Test
    void evidenceReadsAreEveryReadOfTheLogAnsweredOrNot() throws Exception {
        ReportAnswer a = run("evidence-reads");
        assertThat(seqs(a)).isEqualTo(positions(readCarol, readAlice));
        assertThat(column(a, "user")).containsExactly("carol", "alice");
        assertThat(column(a, "code")).containsExactly("200", "403");
        assertThat(column(a, "asked").get(0)).isEqualTo("user=alice");
    }

    @Test
    void logCompletenessVerdictIntegrityEventsAndDailyCounts() throws Exception {
        ReportAnswer a = run("log-completeness");
        assertThat(a.rows().get(0)).containsSubsequence("verdict", "complete and unaltered");
        assertThat(column(a, "check")).contains("integrity event", "events");
        assertThat(a.rows()).anySatisfy(r -> assertThat(r).containsExactly(Integer.toString(recover),
                "integrity event", "recover auditlog", r.get(3)));
        // of the day's events, the two evidence reads and the system event have no cluster, the rest are prod's
        assertThat(a.rows()).anySatisfy(r -> assertThat(r.subList(1, 4)).containsExactly("events",
                "prod 2026-03-02", (LOG.events.size() - 2 - 3) + " events"));
        assertThat(a.rows()).anySatisfy(r -> assertThat(r.subList(1, 4)).containsExactly("events",
                "(none) 2026-03-02", "3 events"));
    }

    @Test
    void dormantIdentitiesAndGrantsNeverUsed() throws Exception {
        ReportAnswer a = run("dormant-identities");
        assertThat(seqs(a)).isEqualTo(positions(oldUser, g1));
        assertThat(a.rows().get(0)).containsSubsequence("dormant identity", "olduser");
        assertThat(a.rows().get(0).get(5)).isEqualTo("200");
        assertThat(a.rows().get(1)).containsSubsequence("grant never used", "erin");
        assertThat(run("dormant-identities", Map.of("days", "365")).rows()).hasSize(1);
        assertThatThrownBy(() -> run("dormant-identities", Map.of("days", "-1")))
                .hasMessageContaining("days=-1");
    }

    @Test
    void siemExportCarriesTheLogsOwnLinesOrOcsf() throws Exception {
        ReportAnswer a = run("siem-export");
        assertThat(a.count()).isEqualTo(LOG.events.size() - 2); // the two events before the day are outside
        assertThat(a.rows().get(0).get(1)).contains("\"auditID\"").contains("\"seq\":" + podRead);
        ReportAnswer ocsf = run("siem-export", Map.of("shape", "ocsf"));
        assertThat(ocsf.rows().get(0).get(1)).contains("class_uid");
        assertThatThrownBy(() -> run("siem-export", Map.of("shape", "xml"))).hasMessageContaining("shape=xml");
    }

    @Test
    void unknownReportsAndParametersAreRefusedNamingWhatIsExpected() {
        assertThatThrownBy(() -> run("no-such")).isInstanceOf(Reports.NoSuchReportException.class)
                .hasMessageContaining("privileged-actions");
        assertThatThrownBy(() -> run("secret-reads", Map.of("bogus", "1"))).hasMessageContaining("bogus");
        assertThatThrownBy(() -> run("secret-reads", Map.of("namespace", "x".repeat(300))))
                .hasMessageContaining("1 to 256");
    }
}
