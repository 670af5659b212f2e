package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * A cluster that answers upgrades the way an attacker in its place would (CVE-2018-1002105 and CVE-2022-3172 class):
 * a redirect, a 101 the client never asked for, a negotiated extension, a subprotocol nobody offered. The gateway
 * never follows, never switches on a 101 it cannot vouch for, relays a refusal as the ordinary response it is with
 * nothing after it, and records each answer.
 */
class HostileUpgradeTest {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    @TempDir
    static Path dir;
    static Vertx vertx;
    static NetServer cluster;
    static MemoryAuditLog log = new MemoryAuditLog();
    static Gatehouse gateway;
    static Path gatewayCa;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        CertificateAuthority.WrittenFiles upstream = CertificateAuthority.create("cluster-ca", Duration.ofDays(1))
                .issueServer("cluster", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .written(dir.resolve("cluster"), "cluster");
        // a scripted cluster: reads a request head, answers what the pod's name asks for
        cluster = vertx.createNetServer(new NetServerOptions().setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(upstream.certificate().toString()).setKeyPath(upstream.privateKey().toString())))
                .connectHandler(socket -> {
                    Buffer head = Buffer.buffer();
                    socket.handler(bytes -> {
                        head.appendBuffer(bytes);
                        String text = head.toString(StandardCharsets.ISO_8859_1);
                        if (text.contains("\r\n\r\n")) {
                            socket.handler(null);
                            socket.write(answer(text.substring(0, text.indexOf(' ', text.indexOf("/pods/"))
                                    ).replaceAll(".*/pods/([^/]+)/.*", "$1")));
                        }
                    });
                });
        cluster.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        CertificateAuthority.WrittenFiles tls = CertificateAuthority.create("gateway-ca", Duration.ofDays(1))
                .issueServer("gateway", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .written(dir.resolve("gw"), "server");
        gatewayCa = tls.ca();
        Files.writeString(dir.resolve("tokens.csv"), "alice-token,alice,uid-1,dev\n");
        Files.writeString(dir.resolve("cluster-token"), "t\n");
        gateway = Gatehouse.start(new GatehouseConfig(
                new GatehouseConfig.ListenConfig("127.0.0.1", 0, tls.certificate(), tls.privateKey()),
                dir.resolve("data"), Duration.ofHours(1), Duration.ofSeconds(5),
                new GatehouseConfig.AuthenticationConfig(dir.resolve("tokens.csv")),
                List.of(new GatehouseConfig.ClusterConfig("c1", null, null,
                        "https://127.0.0.1:" + cluster.actualPort(), upstream.ca(), dir.resolve("cluster-token"), null,
                        null, "impersonate"))), c -> log);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** What the scripted cluster answers for a pod. */
    private static String answer(String pod) {
        return switch (pod) {
            case "redirect" -> "HTTP/1.1 302 Found\r\nLocation: https://127.0.0.1:1/somewhere-else\r\n"
                    + "Content-Length: 0\r\n\r\nSMUGGLED-AFTER-THE-REFUSAL";
            case "refuse" -> "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n"
                    + "{\"kind\":\"Nope\"}SMUGGLED-AFTER-THE-REFUSAL";
            case "bad-accept" -> "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n";
            case "extension" -> "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + ACCEPT + "\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n";
            case "unoffered" -> "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + ACCEPT + "\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n";
            case "other-protocol" -> "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n";
            default -> "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n";
        };
    }

    /** A WebSocket exec offering only v5, by hand over TLS; everything the gateway sends until it closes (2 s). */
    private static String exec(String pod) throws Exception {
        try (SSLSocket socket = (SSLSocket) PemTrust.sslContext(gatewayCa).getSocketFactory()
                .createSocket("127.0.0.1", gateway.port())) {
            SSLParameters params = socket.getSSLParameters();
            params.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(params);
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write(("GET /clusters/c1/api/v1/namespaces/ns/pods/" + pod + "/exec?command=sh"
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer alice-token\r\nConnection: Upgrade\r\n"
                    + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + KEY + "\r\n"
                    + "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    all.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // kept alive or closed: what arrived is the answer
            }
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static AuditEvent completed(String pod) {
        return log.events().stream().filter(e -> e.requestURI().contains("/pods/" + pod + "/")
                && AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage())).findFirst().orElseThrow();
    }

    @Test
    void aRedirectIsRelayedNeverFollowedAndNothingComesAfterIt() throws Exception {
        String answer = exec("redirect");
        assertThat(answer).startsWith("HTTP/1.1 302").contains("somewhere-else").doesNotContain("SMUGGLED");
        assertThat(completed("redirect").responseStatus().code()).isEqualTo(302);
    }

    @Test
    void aRefusalIsAnOrdinaryResponseAndNothingComesAfterIt() throws Exception {
        String answer = exec("refuse");
        assertThat(answer).startsWith("HTTP/1.1 403").contains("{\"kind\":\"Nope\"}").doesNotContain("SMUGGLED");
        assertThat(completed("refuse").responseStatus().code()).isEqualTo(403);
    }

    @Test
    void a101TheGatewayCannotVouchForIsNeverSwitched() throws Exception {
        for (String pod : List.of("bad-accept", "extension", "unoffered", "other-protocol")) {
            String answer = exec(pod);
            assertThat(answer).as(pod).startsWith("HTTP/1.1 502").contains("\"kind\":\"Status\"")
                    .doesNotContain("101 Switching");
            AuditEvent event = completed(pod);
            assertThat(event.responseStatus().code()).as(pod).isEqualTo(502);
            assertThat(event.user().username()).isEqualTo("alice");
        }
    }
}
