package dev.gatehouse.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.TestEvents;
import dev.gatehouse.audit.file.AuditLogReader;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.report.CanonicalRows;
import dev.gatehouse.report.ReportAnswer;
import dev.gatehouse.report.ReportFormat;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

/** The reports API over real TLS on the real file log: the audit API's rules, and answers that are evidence first. */
class ReportApiTest {
    static final String READER = "carol-token";
    static final String NON_READER = "alice-token";
    static final String SCRIPT_NAME = "<script>alert('x')</script>";

    @TempDir
    static Path dir;
    static SwitchableAuditLog log;
    static Gatehouse gateway;
    static Vertx vertx;
    static HttpClientAgent client;

    @BeforeAll
    static void start() throws Exception {
        CertificateAuthority.WrittenFiles tls = CertificateAuthority.create("gateway-ca", Duration.ofDays(1))
                .issueServer("gateway", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .written(dir.resolve("gw"), "server");
        Files.writeString(dir.resolve("tokens.csv"), READER + ",carol,uid-c,auditors\n"
                + NON_READER + ",alice,uid-a,\"dev,readers\"\n");
        Files.writeString(dir.resolve("upstream-token"), "t\n");
        GatehouseConfig config = new GatehouseConfig(
                new GatehouseConfig.ListenConfig("127.0.0.1", 0, tls.certificate(), tls.privateKey()),
                dir.resolve("data"), Duration.ofHours(1), Duration.ofSeconds(5),
                new GatehouseConfig.AuthenticationConfig(dir.resolve("tokens.csv")), null, null,
                new GatehouseConfig.AuditConfig(Duration.ofMinutes(1), null, List.of(),
                        new GatehouseConfig.ReadersConfig(List.of("auditors"), List.of()),
                        new GatehouseConfig.ReadersConfig(List.of(), List.of())),
                List.of(new GatehouseConfig.ClusterConfig("c1", null, null, "https://127.0.0.1:1", tls.ca(),
                        dir.resolve("upstream-token"), null, null, "impersonate")));
        log = new SwitchableAuditLog(ChainedFileAuditLog.open(FileAuditLogConfig.of(Gatehouse.auditDirectory(config))
                .withCheckpointInterval(Duration.ofMillis(100))));
        log.append(TestEvents.request("alice", "get", "pods", "dev", 200)).get();
        log.append(TestEvents.request("alice", "c1", "create", "configmaps", "dev", SCRIPT_NAME, 201,
                Instant.now())).get();
        log.append(TestEvents.request("bob", "delete", "pods", "prod", 403)).get();
        gateway = Gatehouse.start(config, c -> log);
        vertx = Vertx.vertx();
        client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true)
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setTrustOptions(new PemTrustOptions().addCertPath(tls.ca().toString())));
        // the answers rest on a signed checkpoint: wait until one covers the three events
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/gatehouse/v1/reports/privileged-actions",
                READER).code() == 200 && answer(get("/gatehouse/v1/reports/privileged-actions", READER))
                .checkpoint().treeSize() >= 3);
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
        gateway.close();
    }

    @BeforeEach
    void healthyLog() {
        log.failWith(null);
    }

    record Reply(int code, String body, String auditId, io.vertx.core.MultiMap headers) {
        JsonNode json() {
            try {
                return AuditEventJson.mapper().readTree(body);
            } catch (Exception e) {
                throw new AssertionError(body, e);
            }
        }
    }

    static Reply get(String uri, String token) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                .setPort(gateway.port()).setURI(uri);
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        return client.request(options).compose(req -> req.send(Buffer.buffer()).compose(resp -> resp.body()
                .map(b -> new Reply(resp.statusCode(), b.toString(), resp.getHeader("Audit-ID"),
                        resp.headers())))).await();
    }

    static ReportAnswer answer(Reply reply) throws Exception {
        return ReportFormat.read(reply.body());
    }

    static AuditEvent evidenceRead(Reply reply) throws Exception {
        AuditEvent e = evidenceRead(reply.code(), reply.auditId());
        assertThat(e.gatehouse().type()).isEqualTo("evidence-read");
        return e;
    }

    /** The one event of this call, on disk when its answer arrived. */
    static AuditEvent evidenceRead(int code, String auditId) throws Exception {
        try (Stream<AuditEvent> events = AuditLogReader.events(log.file.directory())) {
            List<AuditEvent> mine = events.filter(e -> auditId.equals(e.auditID())).toList();
            assertThat(mine).hasSize(1);
            AuditEvent e = mine.getFirst();
            assertThat(e.responseStatus().code()).isEqualTo(code);
            return e;
        }
    }

    @Test
    void theCatalogueListsEveryReportWithItsParametersAndItsReadIsRecorded() throws Exception {
        Reply r = get("/gatehouse/v1/reports", READER);
        assertThat(r.code()).isEqualTo(200);
        JsonNode list = r.json();
        assertThat(list.isArray()).isTrue();
        assertThat(java.util.stream.StreamSupport.stream(list.spliterator(), false).map(n -> n.get("name").asText())
                .toList()).containsExactly("privileged-actions", "held-requests", "refused-requests", "secret-reads",
                "actor-chains", "credential-use", "exec-session", "copied-files", "evidence-reads",
                "log-completeness", "dormant-identities", "siem-export", "recertification");
        JsonNode exec = java.util.stream.StreamSupport.stream(list.spliterator(), false)
                .filter(n -> n.get("name").asText().equals("exec-session")).findFirst().orElseThrow();
        assertThat(exec.get("title").asText()).isNotEmpty();
        assertThat(exec.get("parameters").get(0).get("name").asText()).isEqualTo("session");
        assertThat(exec.get("parameters").get(0).get("required").asBoolean()).isTrue();
        AuditEvent e = evidenceRead(r);
        assertThat(e.user().username()).isEqualTo("carol");
        assertThat(e.verb()).isEqualTo("reports-list");
        assertThat(e.objectRef().resource()).isEqualTo("reports");
    }

    @Test
    void anAnswerIsTheLogsAndItsReadIsRecordedWithWhatWasAsked() throws Exception {
        Reply r = get("/gatehouse/v1/reports/privileged-actions?user=alice", READER);
        assertThat(r.code()).isEqualTo(200);
        ReportAnswer a = answer(r);
        assertThat(a.count()).isEqualTo(1);
        assertThat(a.rows().getFirst()).contains("alice", "create configmaps", "success");
        assertThat(a.rowsSha256()).isEqualTo(CanonicalRows.sha256(a.columns(), a.rows()));
        assertThat(r.headers().get("Gatehouse-Report-Sha256")).isEqualTo(a.rowsSha256());
        assertThat(r.headers().get("Gatehouse-Report-Count")).isEqualTo("1");
        AuditEvent e = evidenceRead(r);
        assertThat(e.verb()).isEqualTo("report");
        assertThat(e.objectRef().name()).isEqualTo("privileged-actions");
        assertThat(e.gatehouse().details()).containsEntry("report", "privileged-actions")
                .containsEntry("parameter.user", "alice").containsEntry("format", "json")
                .containsEntry("results", "1").containsKeys("from", "to");
    }

    @Test
    void withoutAGoodTokenItIs401AndWithoutReaderRightsItIs403BothRecorded() throws Exception {
        Reply none = get("/gatehouse/v1/reports/privileged-actions", null);
        assertThat(none.code()).isEqualTo(401);
        assertThat(none.json().get("kind").asText()).isEqualTo("Status");
        evidenceRead(none);
        Reply bad = get("/gatehouse/v1/reports", "not-a-token");
        assertThat(bad.code()).isEqualTo(401);
        Reply alice = get("/gatehouse/v1/reports/privileged-actions", NON_READER);
        assertThat(alice.code()).isEqualTo(403);
        assertThat(alice.json().get("message").asText()).contains("audit.readers");
        assertThat(alice.body()).doesNotContain("create configmaps");
        assertThat(evidenceRead(alice).user().username()).isEqualTo("alice");
        // a non-reader learns nothing from the parameters either: 403 before 400/404
        assertThat(get("/gatehouse/v1/reports/no-such-report?x=1", NON_READER).code()).isEqualTo(403);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/gatehouse/v1/reports/no-such-report|404|no report",
            "/gatehouse/v1/reports/privileged-actions?from=yesterday|400|from=yesterday",
            "/gatehouse/v1/reports/privileged-actions?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z|400|expected: before",
            "/gatehouse/v1/reports/privileged-actions?format=xml|400|format=xml",
            "/gatehouse/v1/reports/privileged-actions?bogus=1|400|unknown parameter",
            "/gatehouse/v1/reports/privileged-actions?user=a&user=b|400|more than once",
            "/gatehouse/v1/reports/exec-session|400|session is required",
            "/gatehouse/v1/reports/exec-session?session=..%2F..%2Fetc|400|session=",
            "/gatehouse/v1/reports/dormant-identities?days=0|400|days=0",
            "/gatehouse/v1/reports?from=2026-01-01T00:00:00Z|400|no parameters",
            "/gatehouse/v1/reports/privileged-actions/extra|404|no report"})
    void badRequestsGetAStatusThatSaysWhatIsExpected(String uri, int code, String message) throws Exception {
        Reply r = get(uri, READER);
        assertThat(r.code()).as(r.body()).isEqualTo(code);
        JsonNode status = r.json();
        assertThat(status.get("kind").asText()).isEqualTo("Status");
        assertThat(status.get("code").asInt()).isEqualTo(code);
        assertThat(status.get("message").asText()).contains(message);
        evidenceRead(r);
    }

    @Test
    void htmlEscapesAHostileObjectNameAndIsServedUnderAStrictPolicy() throws Exception {
        Reply r = get("/gatehouse/v1/reports/privileged-actions?format=html", READER);
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.headers().get("Content-Type")).startsWith("text/html");
        assertThat(r.headers().get("Content-Security-Policy")).contains("default-src 'none'");
        assertThat(r.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.body()).doesNotContain(SCRIPT_NAME).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        assertThat(r.body().split("<script", -1)).hasSize(2); // only the inert JSON block
        assertThat(answer(r).rows()).anySatisfy(row -> assertThat(row).anySatisfy(c -> assertThat(c)
                .contains(SCRIPT_NAME)));
    }

    @Test
    void csvIsADownloadWithTheAnswersFacts() throws Exception {
        Reply r = get("/gatehouse/v1/reports/privileged-actions?format=csv", READER);
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.headers().get("Content-Type")).startsWith("text/csv");
        assertThat(r.headers().get("Content-Disposition")).isEqualTo("attachment; filename=\"privileged-actions.csv\"");
        assertThat(r.body()).contains("# rowsSha256: " + r.headers().get("Gatehouse-Report-Sha256"));
    }

    static Reply post(String uri, String token) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                .setPort(gateway.port()).setURI(uri).putHeader("Authorization", "Bearer " + token);
        return client.request(options).compose(req -> req.send(Buffer.buffer()).compose(resp -> resp.body()
                .map(b -> new Reply(resp.statusCode(), b.toString(), resp.getHeader("Audit-ID"),
                        resp.headers())))).await();
    }

    @Test
    void aSignOffIsAnAuditEventFirstAndTheCampaignShowsIt() throws Exception {
        String signOff = "/gatehouse/v1/reports/recertification/sign-off?campaign=q1&principal=alice"
                + "&resource=prod/dev/pods&decision=revoke&justification=left%20the%20team";
        Reply r = post(signOff, READER);
        assertThat(r.code()).as(r.body()).isEqualTo(200);
        AuditEvent e = evidenceRead(r.code(), r.auditId());
        assertThat(e.gatehouse().type()).isEqualTo("recertification-sign-off");
        assertThat(e.user().username()).isEqualTo("carol");
        assertThat(e.gatehouse().details()).containsEntry("principal", "alice").containsEntry("decision", "revoke")
                .containsEntry("justification", "left the team");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ReportAnswer a = answer(get("/gatehouse/v1/reports/recertification?campaign=q1", READER));
            assertThat(a.rows()).anySatisfy(row -> assertThat(row).containsSubsequence("alice", "prod/dev/pods")
                    .contains("revoke", "left the team", "carol"));
        });

        // hostile: a reader signing off their own access, a non-reader, a made-up decision, GET instead of POST
        Reply self = post(signOff.replace("principal=alice", "principal=carol"), READER);
        assertThat(self.code()).isEqualTo(403);
        assertThat(self.json().get("message").asText()).contains("their own access");
        assertThat(post(signOff, NON_READER).code()).isEqualTo(403);
        assertThat(post(signOff.replace("decision=revoke", "decision=maybe"), READER).code()).isEqualTo(400);
        assertThat(post(signOff.replace("&justification=left%20the%20team", ""), READER).code()).isEqualTo(400);
        assertThat(get(signOff, READER).code()).isEqualTo(405);
    }

    @Test
    void whenTheReadCannotBeRecordedNoAnswerIsGiven() throws Exception {
        log.failWith("disk full");
        for (String path : List.of("/gatehouse/v1/reports", "/gatehouse/v1/reports/privileged-actions")) {
            Reply r = get(path, READER);
            assertThat(r.code()).as(path).isEqualTo(503);
            assertThat(r.body()).as(path).doesNotContain("alice").doesNotContain("privileged-actions\"");
            assertThat(r.json().get("kind").asText()).isEqualTo("Status");
        }
    }
}
