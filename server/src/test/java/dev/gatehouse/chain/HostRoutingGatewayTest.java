package dev.gatehouse.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.MemoryAuditLog;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.listen.PemTrust;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Host-name routing through the real listener (TLS, HTTP/2 and HTTP/1.1): two upstream clusters, blue and green,
 * each with a host name, blue also the default cluster at the root. Requests are sent with explicit SNI and
 * {@code Host}/{@code :authority}, including ones that disagree.
 */
class HostRoutingGatewayTest {
    static final String BLUE_HOST = "blue.gw.test";
    static final String GREEN_HOST = "green.gw.test";

    @TempDir
    static Path dir;
    static FakeUpstream blue;
    static FakeUpstream green;
    static MemoryAuditLog log = new MemoryAuditLog();
    static Gatehouse gateway;
    static Vertx vertx;
    static HttpClientAgent h2;
    static Path caFile;

    @BeforeAll
    static void start() throws Exception {
        blue = new FakeUpstream(dir.resolve("blue"));
        green = new FakeUpstream(dir.resolve("green"));
        CertificateAuthority ca = CertificateAuthority.create("gateway-ca", Duration.ofDays(1));
        CertificateAuthority.WrittenFiles tls = ca.issueServer("gateway", List.of("localhost", BLUE_HOST, GREEN_HOST),
                List.of("127.0.0.1"), Duration.ofDays(1)).written(dir.resolve("gw"), "server");
        Files.writeString(dir.resolve("tokens.csv"), "alice-token,alice,uid-1,\"dev\"\n");
        Files.writeString(dir.resolve("upstream-token"), FakeUpstream.TOKEN + "\n");
        GatehouseConfig config = new GatehouseConfig(
                new GatehouseConfig.ListenConfig("127.0.0.1", 0, tls.certificate(), tls.privateKey()),
                dir.resolve("data"), Duration.ofHours(1), Duration.ofSeconds(5),
                new GatehouseConfig.AuthenticationConfig(dir.resolve("tokens.csv")), null, null, null,
                List.of(new GatehouseConfig.ClusterConfig("blue", null, null, blue.url(), blue.tls.ca(),
                                dir.resolve("upstream-token"), null, null, "impersonate", null, List.of(BLUE_HOST)),
                        new GatehouseConfig.ClusterConfig("green", null, null, green.url(), green.tls.ca(),
                                dir.resolve("upstream-token"), null, null, "impersonate", null, List.of(GREEN_HOST))),
                "blue");
        gateway = Gatehouse.start(config, c -> log);
        vertx = Vertx.vertx();
        h2 = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true).setForceSni(true)
                .setProtocolVersion(HttpVersion.HTTP_2).setTrustOptions(new PemTrustOptions()
                        .addCertPath(tls.ca().toString())));
        caFile = tls.ca();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
        gateway.close();
        blue.close();
        green.close();
    }

    record Answer(int code, String body, String auditId) {
    }

    /** An HTTP/2 request over a connection whose SNI is {@code sni}, with {@code :authority} {@code authority}. */
    static Answer viaH2(String sni, String authority, String path) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(sni).setPort(gateway.port())
                .setServer(SocketAddress.inetSocketAddress(gateway.port(), "127.0.0.1")).setURI(path)
                .putHeader("Authorization", "Bearer alice-token");
        return h2.request(options).compose(req -> {
            if (authority != null) {
                req.authority(HostAndPort.parseAuthority(authority, -1));
            }
            assertThat(req.version()).isEqualTo(HttpVersion.HTTP_2);
            return send(req);
        }).await();
    }

    private static io.vertx.core.Future<Answer> send(HttpClientRequest req) {
        return req.send(Buffer.buffer()).compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(),
                b.toString(), resp.getHeader("Audit-ID"))));
    }

    /** One HTTP/1.1 request written by hand over TLS with SNI {@code sni} (none for null) and these header lines. */
    static Answer viaH1(String sni, String requestLine, String... headerLines) throws IOException {
        // a context per connection: the JDK would resume an earlier session with the SNI that session was made for
        SSLContext context;
        try {
            context = PemTrust.sslContext(caFile);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            SSLParameters params = socket.getSSLParameters();
            params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            params.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(params);
            StringBuilder request = new StringBuilder(requestLine).append("\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            request.append("Authorization: Bearer alice-token\r\nConnection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.ISO_8859_1);
            int code = Integer.parseInt(response.substring(9, 12));
            String auditId = null;
            for (String line : response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("audit-id:")) {
                    auditId = line.substring("audit-id:".length()).trim();
                }
            }
            return new Answer(code, response.substring(response.indexOf("\r\n\r\n") + 4), auditId);
        }
    }

    static AuditEvent onlyEvent(Answer a) {
        List<AuditEvent> events = log.eventsFor(a.auditId());
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    @Test
    void eachHostNameReachesItsOwnClusterWithTheWholePath() {
        Answer toGreen = viaH2(GREEN_HOST, null, "/api/v1/namespaces/dev/pods");
        Answer toBlue = viaH2(BLUE_HOST, null, "/api/v1/namespaces/dev/pods");
        assertThat(toGreen.code()).isEqualTo(200);
        assertThat(toBlue.code()).isEqualTo(200);
        assertThat(green.receivedFor(toGreen.auditId())).extracting(FakeUpstream.Received::uri)
                .containsExactly("/api/v1/namespaces/dev/pods");
        assertThat(blue.receivedFor(toGreen.auditId())).isEmpty();
        assertThat(blue.receivedFor(toBlue.auditId())).extracting(FakeUpstream.Received::uri)
                .containsExactly("/api/v1/namespaces/dev/pods");
        assertThat(green.receivedFor(toBlue.auditId())).isEmpty();
        assertThat(onlyEvent(toGreen).gatehouse().cluster()).isEqualTo("green");
        assertThat(onlyEvent(toGreen).verb()).isEqualTo("list");
        assertThat(onlyEvent(toBlue).gatehouse().cluster()).isEqualTo("blue");
    }

    @Test
    void theRootOfTheGatewaysOwnNameIsTheDefaultClusterAndThePathPrefixStillWorks() throws IOException {
        Answer version = viaH1(null, "GET /version HTTP/1.1", "Host: 127.0.0.1:" + gateway.port());
        assertThat(version.code()).isEqualTo(200);
        assertThat(blue.receivedFor(version.auditId())).extracting(FakeUpstream.Received::uri)
                .containsExactly("/version");
        Answer prefixed = viaH1("localhost", "GET /clusters/green/version HTTP/1.1", "Host: localhost");
        assertThat(prefixed.code()).isEqualTo(200);
        assertThat(green.receivedFor(prefixed.auditId())).extracting(FakeUpstream.Received::uri)
                .containsExactly("/version");
    }

    @Test
    void anIpAddressedRequestGoesWhereItsServerNameSays() throws IOException {
        // kubectl with server https://127.0.0.1:PORT and tls-server-name green.gw.test sends exactly this
        Answer a = viaH1(GREEN_HOST, "GET /version HTTP/1.1", "Host: 127.0.0.1:" + gateway.port());
        assertThat(a.code()).isEqualTo(200);
        assertThat(green.receivedFor(a.auditId())).extracting(FakeUpstream.Received::uri).containsExactly("/version");
        assertThat(blue.receivedFor(a.auditId())).isEmpty();
    }

    @Test
    void hostsMatchWithAnyCaseAndATrailingDot() throws IOException {
        Answer a = viaH1(GREEN_HOST, "GET /version HTTP/1.1", "Host: GREEN.gw.test.:" + gateway.port());
        assertThat(a.code()).isEqualTo(200);
        assertThat(green.receivedFor(a.auditId())).hasSize(1);
    }

    @Test
    void anHttp2RequestForAnotherHostOverAClusterConnectionIsMisdirected() {
        int before = blue.received.size();
        Answer a = viaH2(GREEN_HOST, BLUE_HOST + ":" + gateway.port(), "/api/v1/namespaces/dev/pods");
        assertThat(a.code()).isEqualTo(421);
        assertThat(a.body()).contains("\"kind\":\"Status\"").contains("\"code\":421")
                .contains("made for green.gw.test");
        assertThat(green.receivedFor(a.auditId())).isEmpty();
        assertThat(blue.received).hasSize(before);
        AuditEvent e = onlyEvent(a);
        assertThat(e.responseStatus().code()).isEqualTo(421);
        assertThat(e.gatehouse().decision()).isEqualTo("refused");
        assertThat(e.user().username()).isEqualTo("alice"); // who tried is in the evidence
        // a cluster's name over a connection made for the gateway's own name is misdirected too
        assertThat(viaH2("localhost", GREEN_HOST, "/version").code()).isEqualTo(421);
    }

    @Test
    void aForgedHostOverHttp1IsMisdirected() throws IOException {
        Answer a = viaH1(BLUE_HOST, "GET /api/v1/namespaces/dev/pods HTTP/1.1", "Host: " + GREEN_HOST);
        assertThat(a.code()).isEqualTo(421);
        assertThat(a.body()).contains("\"kind\":\"Status\"");
        assertThat(green.receivedFor(a.auditId())).isEmpty();
        assertThat(blue.receivedFor(a.auditId())).isEmpty();
        // the path prefix does not get around it
        assertThat(viaH1(BLUE_HOST, "GET /clusters/green/version HTTP/1.1", "Host: " + GREEN_HOST).code())
                .isEqualTo(421);
    }

    @Test
    void refusesTwoHostsMalformedHostsAndAbsoluteFormTargetsWithAStatus() throws IOException {
        for (Answer a : List.of(
                viaH1(null, "GET /version HTTP/1.1", "Host: " + BLUE_HOST, "Host: " + GREEN_HOST),
                viaH1(null, "GET /version HTTP/1.1", "Host: " + GREEN_HOST + "/api"),
                viaH1(null, "GET /version HTTP/1.1", "Host: alice@" + GREEN_HOST),
                viaH1(null, "GET https://" + GREEN_HOST + "/version HTTP/1.1", "Host: " + GREEN_HOST))) {
            assertThat(a.code()).as(a.body()).isEqualTo(400);
            assertThat(a.body()).contains("\"kind\":\"Status\"");
            if (a.auditId() != null) {
                assertThat(blue.receivedFor(a.auditId())).isEmpty();
                assertThat(green.receivedFor(a.auditId())).isEmpty();
            }
        }
    }

    @Test
    void aClusterHostServesEveryPathAndTheGatewaysOwnNamesServeItsEndpoints() throws IOException {
        Answer clusterLivez = viaH1(GREEN_HOST, "GET /livez HTTP/1.1", "Host: " + GREEN_HOST);
        assertThat(clusterLivez.code()).isEqualTo(200);
        assertThat(green.receivedFor(clusterLivez.auditId())).extracting(FakeUpstream.Received::uri)
                .containsExactly("/livez");
        Answer gatewayLivez = viaH1("localhost", "GET /livez HTTP/1.1", "Host: localhost");
        assertThat(gatewayLivez.code()).isEqualTo(200);
        assertThat(gatewayLivez.auditId()).isNull(); // answered by the gateway, not forwarded
    }
}
