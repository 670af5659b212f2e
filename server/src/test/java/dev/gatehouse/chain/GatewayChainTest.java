package dev.gatehouse.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.MemoryAuditLog;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.listen.CertificateAuthority;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

/** The whole chain over real TLS sockets: a fake upstream behind it and an in-memory audit log. */
class GatewayChainTest {
    @TempDir
    static Path dir;
    static FakeUpstream upstream;
    static MemoryAuditLog log = new MemoryAuditLog();
    static Gatehouse gateway;
    static Vertx vertx;
    static HttpClientAgent h2;
    static HttpClientAgent h1;

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeUpstream(dir.resolve("upstream"));
        CertificateAuthority ca = CertificateAuthority.create("gateway-ca", Duration.ofDays(1));
        CertificateAuthority.WrittenFiles tls = ca.issueServer("gateway", List.of("localhost"),
                List.of("127.0.0.1"), Duration.ofDays(1)).written(dir.resolve("gw"), "server");
        Files.writeString(dir.resolve("tokens.csv"), "alice-token,alice,uid-1,\"dev,readers\"\n");
        Files.writeString(dir.resolve("upstream-token"), FakeUpstream.TOKEN + "\n");
        GatehouseConfig config = new GatehouseConfig(
                new GatehouseConfig.ListenConfig("127.0.0.1", 0, tls.certificate(), tls.privateKey()),
                dir.resolve("data"), Duration.ofHours(1), Duration.ofSeconds(5),
                new GatehouseConfig.AuthenticationConfig(dir.resolve("tokens.csv")),
                List.of(new GatehouseConfig.ClusterConfig("c1", null, null, upstream.url(), upstream.tls.ca(),
                                dir.resolve("upstream-token"), null, null, "impersonate"),
                        // nothing listens on port 1: the cluster is down
                        new GatehouseConfig.ClusterConfig("down", null, null, "https://127.0.0.1:1", upstream.tls.ca(),
                                dir.resolve("upstream-token"), null, null, "impersonate"),
                        // the upstream's certificate is not signed by the CA pinned for this cluster
                        new GatehouseConfig.ClusterConfig("badtls", null, null, upstream.url(), tls.ca(),
                                dir.resolve("upstream-token"), null, null, "impersonate")));
        gateway = Gatehouse.start(config, c -> log);
        vertx = Vertx.vertx();
        PemTrustOptions trust = new PemTrustOptions().addCertPath(tls.ca().toString());
        h2 = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true)
                .setProtocolVersion(HttpVersion.HTTP_2).setTrustOptions(trust).setDefaultPort(gateway.port()));
        h1 = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true)
                .setProtocolVersion(HttpVersion.HTTP_1_1).setTrustOptions(trust).setDefaultPort(gateway.port()));
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
        gateway.close();
        upstream.close();
    }

    @BeforeEach
    void healthyLog() {
        log.failWith(null);
    }

    record Answer(int code, String body, String auditId, HttpVersion version) {
    }

    static Answer call(HttpClientAgent client, HttpMethod method, String uri, String token, String... headers) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1")
                .setPort(gateway.port()).setURI(uri);
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            options.addHeader(headers[i], headers[i + 1]);
        }
        // body() is registered in the send() continuation itself: a response whose head, body and end arrive in
        // one read would otherwise be drained before a later stage of the composition could collect it.
        return client.request(options)
                .compose(req -> req.send(method == HttpMethod.POST ? Buffer.buffer("{\"a\":1}") : Buffer.buffer())
                        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b.toString(),
                                resp.getHeader("Audit-ID"), resp.version()))))
                .await();
    }

    @Test
    void forwardsAsTheUserWithImpersonationAndNeverTheClientsToken() {
        Answer a = call(h2, HttpMethod.GET, "/clusters/c1/api/v1/namespaces/dev/pods", "alice-token",
                "X-Forwarded-For", "6.6.6.6");
        assertThat(a.code()).isEqualTo(200);
        assertThat(a.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(a.auditId()).isNotBlank();
        FakeUpstream.Received got = upstream.receivedFor(a.auditId()).get(0);
        assertThat(got.uri()).isEqualTo("/api/v1/namespaces/dev/pods");
        assertThat(got.headers().get("Authorization")).isEqualTo("Bearer " + FakeUpstream.TOKEN);
        assertThat(got.headers().getAll("Impersonate-User")).containsExactly("alice");
        assertThat(got.headers().getAll("Impersonate-Group")).containsExactly("dev", "readers");
        assertThat(got.headers().get("Impersonate-Uid")).isEqualTo("uid-1");
        assertThat(got.headers().get("Impersonate-Extra-gatehouse.dev%2frequest-id")).isEqualTo(a.auditId());
        assertThat(got.headers().getAll("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(got.headers().toString()).doesNotContain("alice-token");

        List<AuditEvent> events = log.eventsFor(a.auditId());
        assertThat(events).hasSize(1);
        AuditEvent e = events.get(0);
        assertThat(e.stage()).isEqualTo("ResponseComplete");
        assertThat(e.verb()).isEqualTo("list");
        assertThat(e.user().username()).isEqualTo("alice");
        assertThat(e.objectRef().resource()).isEqualTo("pods");
        assertThat(e.objectRef().namespace()).isEqualTo("dev");
        assertThat(e.responseStatus().code()).isEqualTo(200);
        assertThat(e.sourceIPs()).containsExactly("127.0.0.1");
        assertThat(e.gatehouse().cluster()).isEqualTo("c1");
        assertThat(e.gatehouse().authn().method()).isEqualTo("static-token");
        assertThat(e.gatehouse().authn().breakGlass()).isTrue();
        assertThat(e.gatehouse().bytesOut()).isEqualTo(a.body().length());
    }

    @Test
    void recordsMutationsBeforeForwardingThem() {
        Answer a = call(h1, HttpMethod.POST, "/clusters/c1/api/v1/namespaces/dev/configmaps", "alice-token",
                "Content-Type", "application/json");
        assertThat(a.code()).isEqualTo(201);
        assertThat(log.eventsFor(a.auditId())).extracting(AuditEvent::stage)
                .containsExactly("RequestReceived", "ResponseComplete");
        assertThat(log.eventsFor(a.auditId()).get(1).gatehouse().bytesIn()).isEqualTo(7);
        assertThat(upstream.receivedFor(a.auditId()).get(0).bodyBytes()).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Impersonate-User", "impersonate-group", "IMPERSONATE-EXTRA-scopes", "X-Remote-User"})
    void refusesClientChosenIdentityOverBothProtocols(String header) {
        for (HttpClientAgent client : List.of(h1, h2)) {
            Answer a = call(client, HttpMethod.GET, "/clusters/c1/api/v1/pods", "alice-token", header, "admin");
            assertThat(a.code()).isEqualTo(403);
            assertThat(a.body()).contains("\"kind\":\"Status\"").contains("Forbidden");
            assertThat(upstream.receivedFor(a.auditId())).isEmpty();
            assertThat(log.eventsFor(a.auditId())).singleElement()
                    .satisfies(e -> assertThat(e.responseStatus().code()).isEqualTo(403));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/clusters/c1/api/v1/namespaces/default%2Fsecrets",
            "/clusters/c1/api/v1/namespaces/dev/../kube-system/secrets", "/clusters/c1//api/v1/pods",
            "/clusters/c1/api/v1/namespaces/%2e%2e/secrets"})
    void refusesHostilePathsWithoutForwarding(String path) {
        int before = upstream.received.size();
        Answer a = call(h2, HttpMethod.GET, path, "alice-token");
        assertThat(a.code()).isEqualTo(400);
        assertThat(a.body()).contains("BadRequest");
        assertThat(upstream.received).hasSize(before);
        assertThat(log.eventsFor(a.auditId())).singleElement()
                .satisfies(e -> assertThat(e.gatehouse().decision()).isEqualTo("refused"));
    }

    @Test
    void answersUnauthenticatedAndUnknownClustersWithStatus() {
        Answer none = call(h2, HttpMethod.GET, "/clusters/c1/api/v1/pods", null);
        assertThat(none.code()).isEqualTo(401);
        assertThat(none.body()).contains("\"reason\":\"Unauthorized\"");
        Answer forged = call(h2, HttpMethod.GET, "/clusters/c1/api/v1/pods", "forged-token");
        assertThat(forged.code()).isEqualTo(401);
        AuditEvent refused = log.eventsFor(forged.auditId()).get(0);
        assertThat(refused.user().username()).isEqualTo("system:anonymous");
        assertThat(refused.gatehouse().authn().credentialId()).startsWith("sha256:");
        assertThat(refused.toString()).doesNotContain("forged-token");
        Answer unknown = call(h2, HttpMethod.GET, "/clusters/nope/api/v1/pods", "alice-token");
        assertThat(unknown.code()).isEqualTo(404);
        assertThat(unknown.body()).contains("cluster \\\"nope\\\" is not configured");
    }

    @Test
    void refusesEverythingWithServiceUnavailableWhileTheAuditLogCannotBeWritten() {
        int before = upstream.received.size();
        log.failWith("disk full");
        Answer a = call(h2, HttpMethod.GET, "/clusters/c1/api/v1/pods", "alice-token");
        assertThat(a.code()).isEqualTo(503);
        assertThat(a.body()).contains("audit log");
        assertThat(upstream.received).hasSize(before);
    }

    @Test
    void answersUnreachableClustersWith503AndTlsFailuresWith502() {
        Answer down = call(h2, HttpMethod.GET, "/clusters/down/api/v1/pods", "alice-token");
        assertThat(down.code()).isEqualTo(503);
        assertThat(down.body()).contains("\"kind\":\"Status\"").contains("cluster \\\"down\\\" is unreachable");
        int before = upstream.received.size();
        Answer badTls = call(h2, HttpMethod.GET, "/clusters/badtls/api/v1/pods", "alice-token");
        assertThat(badTls.code()).isEqualTo(502);
        assertThat(badTls.body()).contains("TLS to cluster \\\"badtls\\\" failed");
        assertThat(upstream.received).as("no request reached a server whose certificate was refused").hasSize(before);
        assertThat(log.eventsFor(badTls.auditId())).singleElement()
                .satisfies(e -> assertThat(e.responseStatus().code()).isEqualTo(502));
    }

    @Test
    void servesMetricsOnlyToAuthenticatedCallers() {
        call(h2, HttpMethod.GET, "/clusters/c1/api/v1/namespaces/dev/pods", "alice-token");
        assertThat(call(h2, HttpMethod.GET, "/metrics", null).code()).isEqualTo(401);
        assertThat(call(h2, HttpMethod.GET, "/metrics", "forged").code()).isEqualTo(401);
        Answer metrics = call(h2, HttpMethod.GET, "/metrics", "alice-token");
        assertThat(metrics.code()).isEqualTo(200);
        assertThat(metrics.body()).contains("gatehouse_requests_total{cluster=\"c1\",code=\"200\",decision=\"allow\",verb=\"list\"}")
                .contains("gatehouse_audit_writable 1.0").contains("gatehouse_audit_durable_wait_seconds_count")
                .doesNotContain("alice");
    }

    @Test
    void timesOutSilentClustersWith504() {
        Answer a = call(h2, HttpMethod.GET, "/clusters/c1/silent", "alice-token");
        assertThat(a.code()).isEqualTo(504);
        assertThat(log.eventsFor(a.auditId())).singleElement()
                .satisfies(e -> assertThat(e.responseStatus().code()).isEqualTo(504));
    }

    @Test
    void streamsWatchEventsAsTheyArriveAndRecordsStartAndEnd() {
        List<String> chunks = new CopyOnWriteArrayList<>();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                .setPort(gateway.port()).setURI("/clusters/c1/api/v1/pods?watch=true")
                .putHeader("Authorization", "Bearer alice-token");
        HttpClientResponse response = h2.request(options).compose(r -> r.send())
                .map(r -> r.handler(b -> chunks.add(b.toString()))).await();
        assertThat(response.statusCode()).isEqualTo(200);
        String auditId = response.getHeader("Audit-ID");
        await().atMost(Duration.ofSeconds(5)).until(() -> chunks.size() == 1);
        assertThat(log.eventsFor(auditId)).as("%s", log.eventsFor(auditId)).extracting(AuditEvent::stage)
                .containsExactly("ResponseStarted");
        upstream.watches.get(auditId).write("{\"type\":\"DELETED\",\"object\":{}}\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> chunks.size() == 2);
        upstream.watches.get(auditId).end();
        await().atMost(Duration.ofSeconds(5)).until(() -> log.eventsFor(auditId).size() == 2);
        assertThat(log.eventsFor(auditId).get(1).stage()).isEqualTo("ResponseComplete");
        assertThat(log.eventsFor(auditId).get(1).verb()).isEqualTo("watch");
    }

    @Test
    void resetsTheResponseWhenItsEvidenceCannotBeWritten() {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                .setPort(gateway.port()).setURI("/clusters/c1/api/v1/pods?watch=true")
                .putHeader("Authorization", "Bearer alice-token");
        HttpClientResponse response = h2.request(options).compose(r -> r.send()).await();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Boolean> ended = new CopyOnWriteArrayList<>();
        response.exceptionHandler(errors::add);
        response.endHandler(v -> ended.add(true));
        response.handler(b -> { });
        String auditId = response.getHeader("Audit-ID");
        await().atMost(Duration.ofSeconds(5)).until(() -> upstream.watches.containsKey(auditId));
        log.failWith("disk full");
        upstream.watches.get(auditId).end();
        await().atMost(Duration.ofSeconds(5)).until(() -> !errors.isEmpty());
        assertThat(ended).isEmpty();
    }
}
