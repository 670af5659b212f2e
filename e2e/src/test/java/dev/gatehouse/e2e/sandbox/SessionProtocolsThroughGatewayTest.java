package dev.gatehouse.e2e.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.sandbox.Sandbox;
import dev.gatehouse.sandbox.SandboxOptions;
import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlProcess;
import dev.gatehouse.sandbox.kubectl.KubectlResult;
import dev.gatehouse.sandbox.recording.ReceivedRequest;
import dev.gatehouse.session.FileRecordingStore;
import dev.gatehouse.session.SessionSummary;

/**
 * The other ways kubectl 1.32 opens sessions, through the gateway: SPDY/3.1 (forced, and by kubectl's own fallback
 * when the cluster refuses WebSocket as a node older than 1.30 does), attach, and port-forward carrying real TCP bytes
 * over WebSocket tunnelling and over SPDY, each recorded with what it moved.
 */
class SessionProtocolsThroughGatewayTest {
    private static final Duration AWAIT = Duration.ofSeconds(20);
    private static final Map<String, String> FORCE_SPDY = Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false",
            "KUBECTL_PORT_FORWARD_WEBSOCKETS", "false");

    @TempDir
    static Path dir;

    private static GatewayFixture modern;
    private static GatewayFixture old;
    private static Kubectl alice;
    private static Kubectl aliceSpdy;
    private static Kubectl aliceToOld;
    private static String pod;

    @BeforeAll
    static void start() throws IOException {
        modern = new GatewayFixture(Files.createDirectories(dir.resolve("modern")));
        old = new GatewayFixture(Files.createDirectories(dir.resolve("old")),
                SandboxOptions.builder().webSocketStreams(false).build());
        alice = modern.kubectl(GatewayFixture.ALICE_TOKEN);
        aliceSpdy = Kubectl.create(new Kubeconfig(modern.clusterUrl("sandbox"), modern.gatewayCaPem,
                GatewayFixture.ALICE_TOKEN, null, "dev"),
                new Kubectl.Options(Kubectl.DEFAULT_TIMEOUT, null, Duration.ofSeconds(60)).withEnv(FORCE_SPDY));
        aliceToOld = Kubectl.create(new Kubeconfig(old.clusterUrl("sandbox"), old.gatewayCaPem,
                GatewayFixture.ALICE_TOKEN, null, "dev"),
                new Kubectl.Options(Kubectl.DEFAULT_TIMEOUT, null, Duration.ofSeconds(60)));
        KubectlResult pods = alice.run("get", "pods", "-o", "name");
        assertThat(pods.succeeded()).as(pods.toString()).isTrue();
        pod = pods.stdout().lines().findFirst().orElseThrow().replace("pod/", "");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {alice, aliceSpdy, aliceToOld, modern, old}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    /** The summary of the session that ends after {@code before} others on {@code fixture}'s gateway (waits 10 s). */
    private static SessionSummary sessionAfter(GatewayFixture fixture, int before) throws Exception {
        FileRecordingStore store = new FileRecordingStore(fixture.dir.resolve("data/sessions"));
        List<SessionSummary> all = store.list();
        for (int i = 0; i < 100 && all.size() <= before; i++) {
            Thread.sleep(100);
            all = store.list();
        }
        assertThat(all).hasSize(before + 1);
        SessionSummary summary = all.get(before);
        assertThat(fixture.audit.completed(summary.auditID()).gatehouse().details())
                .containsEntry("session", summary.id());
        return summary;
    }

    private static int sessions(GatewayFixture fixture) throws IOException {
        return new FileRecordingStore(fixture.dir.resolve("data/sessions")).list().size();
    }

    @Test
    void execOverSpdyKeepsStdinOutputAndExitCode() throws Exception {
        int before = sessions(modern);
        KubectlResult cat = aliceSpdy.runWithInput("over spdy\n", "exec", "-i", pod, "--", "cat");
        assertThat(cat.succeeded()).as(cat.toString()).isTrue();
        assertThat(cat.stdout()).isEqualTo("over spdy\n");
        SessionSummary summary = sessionAfter(modern, before);
        assertThat(summary.protocol()).startsWith("spdy/");
        assertThat(summary.stdinBytes()).isEqualTo(10);
        assertThat(summary.stdoutBytes()).isEqualTo(10);

        KubectlResult fails = aliceSpdy.run("exec", pod, "--", "sh", "-c", "exit 5");
        assertThat(fails.exitCode()).as(fails.toString()).isEqualTo(5);
        assertThat(sessionAfter(modern, before + 1).exitCode()).isEqualTo(5);
    }

    @Test
    void kubectlFallsBackToSpdyWhenTheClusterRefusesWebSocket() throws Exception {
        int mark = old.sandbox.received().size();
        int before = sessions(old);
        KubectlResult exec = aliceToOld.run("exec", pod, "--", "sh", "-c", "echo fell back; exit 2");
        assertThat(exec.exitCode()).as(exec.toString()).isEqualTo(2);
        assertThat(exec.stdout()).isEqualTo("fell back\n");
        // the WebSocket attempt reached the cluster, its refusal went back as an ordinary response, then SPDY
        List<ReceivedRequest> upstream = old.receivedSince(mark).stream()
                .filter(r -> r.rawPath().contains("/exec")).toList();
        assertThat(upstream).extracting(ReceivedRequest::method).containsExactly("GET", "POST");
        SessionSummary summary = sessionAfter(old, before);
        assertThat(summary.protocol()).startsWith("spdy/");
        assertThat(summary.exitCode()).isEqualTo(2);
        List<AuditEvent> refusedAttempts = old.audit.requestEvents().stream()
                .filter(e -> AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage()) && e.requestURI().contains("/exec")
                        && e.responseStatus() != null && e.responseStatus().code() == 403)
                .toList();
        assertThat(refusedAttempts).isNotEmpty().allSatisfy(e -> {
            assertThat(e.verb()).isEqualTo("create");
            assertThat(e.gatehouse().details()).doesNotContainKey("session"); // an ordinary response: no session
        });
    }

    @Test
    void kubectlCpOverSpdyListsTheFile() throws Exception {
        Path local = dir.resolve("spdy-notes.txt");
        Files.writeString(local, "through SPDY\n");
        int before = sessions(modern);
        KubectlResult up = aliceSpdy.run("cp", local.toString(), pod + ":/tmp/spdy-notes.txt");
        assertThat(up.succeeded()).as(up.toString()).isTrue();
        SessionSummary tar = sessionAfter(modern, before + 1); // test -d first, then tar
        assertThat(tar.files()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("spdy-notes.txt");
            assertThat(f.size()).isEqualTo(13);
        });
    }

    @Test
    void attachIsASessionLikeExec() throws Exception {
        int before = sessions(modern);
        KubectlResult attach = alice.runWithInput("echo attached\n", "attach", "-i", pod);
        assertThat(attach.stdout()).as(attach.toString()).contains("attached");
        SessionSummary summary = sessionAfter(modern, before);
        assertThat(summary.subresource()).isEqualTo("attach");
        assertThat(summary.stdinBytes()).isEqualTo(14);
        assertThat(modern.audit.completed(summary.auditID()).objectRef().subresource()).isEqualTo("attach");
    }

    @Test
    void portForwardOverWebSocketCarriesRealBytesAndCountsThem() throws Exception {
        forwardsAndCounts(alice, modern, "websocket/SPDY/3.1+portforward.k8s.io");
    }

    @Test
    void portForwardOverSpdyCarriesRealBytesAndCountsThem() throws Exception {
        forwardsAndCounts(aliceSpdy, modern, "spdy/portforward.k8s.io");
    }

    @Test
    void portForwardFallsBackToSpdyWhenTheClusterRefusesWebSocket() throws Exception {
        forwardsAndCounts(aliceToOld, old, "spdy/portforward.k8s.io");
    }

    private static void forwardsAndCounts(Kubectl kubectl, GatewayFixture fixture, String protocol) throws Exception {
        int before = sessions(fixture);
        byte[] payload = new byte[100_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        try (KubectlProcess forward = kubectl.start("port-forward", "pod/" + pod, ":" + Sandbox.ECHO_PORT)) {
            String line = forward.awaitLine(l -> l.startsWith("Forwarding from 127.0.0.1:"), AWAIT)
                    .orElseThrow(() -> new AssertionError("no Forwarding line: " + forward));
            int port = Integer.parseInt(line.substring("Forwarding from 127.0.0.1:".length(), line.indexOf(" ->")));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write(payload);
                socket.getOutputStream().flush();
                byte[] echoed = socket.getInputStream().readNBytes(payload.length);
                assertThat(echoed).isEqualTo(payload);
            }
            Thread.sleep(300); // let the forwarded connection's end reach the gateway before port-forward stops
        }
        SessionSummary summary = sessionAfter(fixture, before);
        assertThat(summary.subresource()).isEqualTo("portforward");
        assertThat(summary.protocol()).isEqualTo(protocol);
        assertThat(summary.forwards()).singleElement().satisfies(f -> {
            assertThat(f.port()).isEqualTo(Sandbox.ECHO_PORT);
            assertThat(f.bytesToPod()).isEqualTo(payload.length);
            assertThat(f.bytesFromPod()).isEqualTo(payload.length);
        });
        assertThat(new String(Files.readAllBytes(fixture.dir.resolve("data/sessions/" + summary.id() + ".raw")),
                StandardCharsets.ISO_8859_1)).doesNotContain("abcdefghijklmnopqrstuvwxyz"); // payload not captured
    }
}
