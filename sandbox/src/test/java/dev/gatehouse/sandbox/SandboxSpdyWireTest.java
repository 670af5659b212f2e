package dev.gatehouse.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdySessionStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;

import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlResult;
import dev.gatehouse.sandbox.seed.Seed;
import dev.gatehouse.sandbox.spdy.SpdyClient;

/**
 * The sandbox's SPDY upgrade on the wire, with a raw TLS client: the 101 kubectl expects, and malformed input
 * (broken frames, an unknown stream type) ending that one connection with a {@code GOAWAY} while the sandbox
 * serves on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxSpdyWireTest {
    private static final String POD = Seed.WEB_PODS.get("prod").get(0);

    private Sandbox sandbox;

    @BeforeAll
    void start() {
        sandbox = Sandbox.start();
    }

    @AfterAll
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private SSLSocket connect() throws Exception {
        return connect(sandbox);
    }

    private static SSLSocket connect(Sandbox sandbox) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("sandbox-ca", CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(sandbox.caCertificatePem().getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", sandbox.port());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Sends a SPDY upgrade and returns the response head (up to the blank line). */
    private String upgrade(SSLSocket socket, String pathAndQuery, List<String> protocols) throws IOException {
        StringBuilder request = new StringBuilder("POST " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + sandbox.adminToken() + "\r\nContent-Length: 0\r\n"
                + "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\n");
        protocols.forEach(p -> request.append("X-Stream-Protocol-Version: ").append(p).append("\r\n"));
        return head(socket, request);
    }

    /** Sends a WebSocket upgrade offering these subprotocols and returns the response head. */
    private static String webSocketUpgrade(SSLSocket socket, Sandbox sandbox, String pathAndQuery, String protocols)
            throws IOException {
        StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + sandbox.adminToken() + "\r\nConnection: Upgrade\r\n"
                + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Protocol: " + protocols + "\r\n");
        return head(socket, request);
    }

    private static String head(SSLSocket socket, StringBuilder request) throws IOException {
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Everything the server writes until it closes the connection (a read timeout fails the test). */
    private static byte[] untilClosed(SSLSocket socket) throws IOException {
        return socket.getInputStream().readAllBytes();
    }

    @Test
    void answersTheSpdyUpgradeWithTheChosenProtocol() throws Exception {
        try (SSLSocket socket = connect()) {
            String head = upgrade(socket, "/api/v1/namespaces/prod/pods/" + POD + "/exec?command=true&stdout=1",
                    List.of("v5.channel.k8s.io", "v4.channel.k8s.io", "channel.k8s.io"));
            assertThat(head).isEqualTo("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                    + "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n");
        }
    }

    @Test
    void writesTheStatusHalfClosesAndClosesTheConnectionAfterTheCommand() throws Exception {
        SpdyClient client = new SpdyClient();
        try (SSLSocket socket = connect()) {
            assertThat(upgrade(socket, "/api/v1/namespaces/prod/pods/" + POD + "/exec?command=sh&command=-c"
                    + "&command=echo%20hi%3B%20exit%207&stdout=true", List.of("v4.channel.k8s.io"))).startsWith(
                    "HTTP/1.1 101 ");
            socket.getOutputStream().write(client.open(1, Map.of("streamtype", "error")));
            socket.getOutputStream().write(client.open(3, Map.of("streamtype", "stdout")));
            List<Object> frames = client.decode(untilClosed(socket)); // the client never closes: the sandbox does
            assertThat(frames).hasSize(7);
            assertThat(frames.subList(0, 2)).allSatisfy(f -> assertThat(f).isInstanceOf(SpdySynReplyFrame.class));
            SpdyDataFrame stdout = (SpdyDataFrame) frames.get(2);
            assertThat(stdout.streamId()).isEqualTo(3);
            assertThat(stdout.content().toString(StandardCharsets.UTF_8)).isEqualTo("hi\n");
            SpdyDataFrame status = (SpdyDataFrame) frames.get(3);
            assertThat(status.streamId()).isEqualTo(1);
            assertThat(status.content().toString(StandardCharsets.UTF_8)).contains("\"reason\":\"NonZeroExitCode\"")
                    .contains("\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"7\"}]");
            assertThat(frames.subList(4, 6)).allSatisfy(f -> assertThat(((SpdyDataFrame) f).isLast()).isTrue());
            assertThat(frames.get(6)).isInstanceOfSatisfying(SpdyGoAwayFrame.class,
                    g -> assertThat(g.status()).isEqualTo(SpdySessionStatus.OK));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "exec?command=true&stdout=1 | v5.channel.k8s.io                      | v5.channel.k8s.io",
            "exec?command=true&stdout=1 | v4.channel.k8s.io                      | v4.channel.k8s.io",
            "attach?stdout=1            | v4.channel.k8s.io, v5.channel.k8s.io   | v4.channel.k8s.io",
            "portforward                | SPDY/3.1+portforward.k8s.io            | SPDY/3.1+portforward.k8s.io"})
    void answersTheWebSocketSubprotocolItChose(String subresource, String offered, String chosen) throws Exception {
        try (SSLSocket socket = connect()) {
            String head = webSocketUpgrade(socket, sandbox, "/api/v1/namespaces/prod/pods/" + POD + "/" + subresource,
                    offered);
            assertThat(head).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
            assertThat(head.toLowerCase()).contains("\r\nsec-websocket-protocol: " + chosen.toLowerCase() + "\r\n");
        }
    }

    @Test
    void closesAWebSocketWhoseChosenSubprotocolIsForAnotherSubresource() throws Exception {
        try (SSLSocket socket = connect()) {
            String head = webSocketUpgrade(socket, sandbox, "/api/v1/namespaces/prod/pods/" + POD + "/portforward",
                    "v5.channel.k8s.io, SPDY/3.1+portforward.k8s.io");
            assertThat(head.toLowerCase()).startsWith("http/1.1 101 ")
                    .contains("\r\nsec-websocket-protocol: v5.channel.k8s.io\r\n");
            byte[] close = socket.getInputStream().readNBytes(4);
            assertThat(close[0]).isEqualTo((byte) 0x88); // FIN + close
            assertThat(((close[2] & 0xff) << 8) | (close[3] & 0xff)).isEqualTo(1002);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "exec?command=true&stdout=1 | v5.channel.k8s.io           | 403",
            "attach?stdout=1            | v5.channel.k8s.io           | 403",
            "portforward                | SPDY/3.1+portforward.k8s.io | 400"})
    void aSpdyOnlySandboxRefusesWebSocketUpgrades(String subresource, String offered, int status) throws Exception {
        try (Sandbox spdyOnly = Sandbox.start(SandboxOptions.builder().webSocketStreams(false).build());
             SSLSocket socket = connect(spdyOnly)) {
            String head = webSocketUpgrade(socket, spdyOnly, "/api/v1/namespaces/prod/pods/" + POD + "/"
                    + subresource, offered);
            assertThat(head).startsWith("HTTP/1.1 " + status + " ");
        }
    }

    /** What {@code /version} says agrees with what the sandbox serves: a gateway reading it then falls back alike. */
    @ParameterizedTest
    @CsvSource({"true, '\"minor\":\"32\"', v1.32.0", "false, '\"minor\":\"20\"', v1.20.2"})
    void theVersionIsOfANodeThatServesWhatTheSandboxServes(boolean webSocketStreams, String minor, String gitVersion)
            throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.builder().webSocketStreams(webSocketStreams).build());
             SSLSocket socket = connect(sandbox)) {
            socket.getOutputStream().write(("GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + sandbox.adminToken() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200 ").contains("\"major\":\"1\"").contains(minor)
                    .contains("\"gitVersion\":\"" + gitVersion + "\"");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"stdout=yes | 101", "stdout=TRUE | 101", "stdout= | 101",
            "stdout=FALSE | 400", "stdout=0&stdout=1 | 400", "stdin=false | 400"})
    void readsQueryFlagsAsTheApiserverDoes(String flags, int status) throws Exception {
        try (SSLSocket socket = connect()) {
            String head = upgrade(socket, "/api/v1/namespaces/prod/pods/" + POD + "/exec?command=true&" + flags,
                    List.of("v4.channel.k8s.io"));
            assertThat(head).startsWith("HTTP/1.1 " + status + " ");
        }
    }

    @Test
    void refusesAnUpgradeWithoutACommonProtocol() throws Exception {
        try (SSLSocket socket = connect()) {
            String head = upgrade(socket, "/api/v1/namespaces/prod/pods/" + POD + "/exec?command=true&stdout=1",
                    List.of("v9.channel.k8s.io"));
            assertThat(head).startsWith("HTTP/1.1 403 Forbidden\r\n");
        }
    }

    @Test
    void brokenFramesEndTheConnectionAndTheSandboxServesOn() throws Exception {
        SpdyClient client = new SpdyClient();
        try (SSLSocket socket = connect()) {
            assertThat(upgrade(socket, "/api/v1/namespaces/prod/pods/" + POD + "/exec?command=cat&stdin=1&stdout=1",
                    List.of("v4.channel.k8s.io"))).startsWith("HTTP/1.1 101 ");
            socket.getOutputStream().write(new byte[] {(byte) 0x80, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0a, 0, 0,
                    0, 1, 0, 0, 0, 0, 0, 0, 0x12, 0x34});
            List<Object> frames = client.decode(untilClosed(socket));
            assertThat(frames).singleElement().isInstanceOfSatisfying(SpdyGoAwayFrame.class,
                    g -> assertThat(g.status()).isEqualTo(SpdySessionStatus.PROTOCOL_ERROR));
        }
        assertServesOn();
    }

    @Test
    void anUnknownStreamTypeEndsAPortForwardConnection() throws Exception {
        SpdyClient client = new SpdyClient();
        try (SSLSocket socket = connect()) {
            assertThat(upgrade(socket, "/api/v1/namespaces/prod/pods/" + POD + "/portforward",
                    List.of("portforward.k8s.io"))).startsWith("HTTP/1.1 101 ");
            socket.getOutputStream().write(client.open(1, Map.of("streamtype", "error", "port", "8080",
                    "requestid", "0")));
            socket.getOutputStream().write(client.open(3, Map.of("streamtype", "bogus", "port", "8080",
                    "requestid", "0")));
            List<Object> frames = client.decode(untilClosed(socket));
            assertThat(frames).hasSize(2);
            assertThat(frames.get(0)).isInstanceOf(SpdySynReplyFrame.class);
            assertThat(frames.get(1)).isInstanceOfSatisfying(SpdyGoAwayFrame.class,
                    g -> assertThat(g.status()).isEqualTo(SpdySessionStatus.PROTOCOL_ERROR));
        }
        assertServesOn();
    }

    private void assertServesOn() {
        try (Kubectl kubectl = Kubectl.create(new Kubeconfig(sandbox.url(), sandbox.caCertificatePem(),
                sandbox.adminToken(), null, null), Kubectl.Options.DEFAULT.withEnv(
                Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false")))) {
            KubectlResult exec = kubectl.run("exec", POD, "-n", "prod", "--", "echo", "still", "here");
            assertThat(exec.exitCode()).as("%s", exec).isZero();
            assertThat(exec.stdout()).isEqualTo("still here\n");
        }
    }
}
