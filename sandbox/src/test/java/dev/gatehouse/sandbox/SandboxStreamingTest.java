package dev.gatehouse.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlProcess;
import dev.gatehouse.sandbox.kubectl.KubectlResult;
import dev.gatehouse.sandbox.recording.ReceivedRequest;
import dev.gatehouse.sandbox.seed.Seed;

/**
 * The real kubectl 1.32 against the sandbox's streaming subresources: exec, cp, attach and port-forward over
 * WebSocket (kubectl's default), over SPDY when kubectl is told to use it, and over SPDY after kubectl's own
 * fallback from a sandbox that refuses WebSocket as a Kubernetes 1.20 node does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxStreamingTest {
    private static final Duration AWAIT = Duration.ofSeconds(15);
    private static final Kubectl.Options BOUNDED = new Kubectl.Options(Kubectl.DEFAULT_TIMEOUT, null,
            Duration.ofSeconds(60));
    private static final Map<String, String> SPDY_ONLY = Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false",
            "KUBECTL_PORT_FORWARD_WEBSOCKETS", "false");

    private ServerSocket target;
    private Sandbox sandbox;
    private Sandbox spdySandbox;
    private Kubectl kubectl;
    private Kubectl spdyKubectl;
    private Kubectl fallbackKubectl;

    @BeforeAll
    void start() throws IOException {
        target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::greet);
        int refusing;
        try (ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            refusing = closed.getLocalPort();
        }
        sandbox = Sandbox.start();
        spdySandbox = Sandbox.start(SandboxOptions.builder().webSocketStreams(false)
                .forwardPort(7000, "127.0.0.1", target.getLocalPort()).forwardPort(7001, "127.0.0.1", refusing)
                .build());
        kubectl = Kubectl.create(config(sandbox), BOUNDED);
        spdyKubectl = Kubectl.create(config(sandbox), BOUNDED.withEnv(SPDY_ONLY));
        fallbackKubectl = Kubectl.create(config(spdySandbox), BOUNDED);
    }

    private static Kubeconfig config(Sandbox sandbox) {
        return new Kubeconfig(sandbox.url(), sandbox.caCertificatePem(), sandbox.adminToken(), null, null);
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {kubectl, spdyKubectl, fallbackKubectl, sandbox, spdySandbox,
                target}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }

    /** The configured port-forward target: greets every connection and closes it. */
    private void greet() {
        while (!target.isClosed()) {
            try (Socket socket = target.accept()) {
                socket.getOutputStream().write("hello from the target\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // closed at the end of the class
            }
        }
    }

    private static String pod(int i) {
        return Seed.WEB_PODS.get("prod").get(i);
    }

    private static String devPod(int i) {
        return Seed.WEB_PODS.get("dev").get(i);
    }

    private static List<ReceivedRequest> received(Sandbox sandbox, String subresource, String pod) {
        return sandbox.received().stream()
                .filter(r -> r.rawPath().equals("/api/v1/namespaces/prod/pods/" + pod + "/" + subresource)).toList();
    }

    private static void execsWithStdinAndExitCode(Kubectl kubectl) {
        KubectlResult piped = kubectl.runWithInput("over the wire\n", "exec", "-i", pod(0), "-n", "prod", "--", "cat");
        assertThat(piped.exitCode()).as("%s", piped).isZero();
        assertThat(piped.stdout()).isEqualTo("over the wire\n");
        KubectlResult failed = kubectl.runWithInput("ignored\n", "exec", "-i", pod(0), "-n", "prod", "--", "sh", "-c",
                "echo before; exit 3");
        assertThat(failed.exitCode()).as("%s", failed).isEqualTo(3);
        assertThat(failed.stdout()).isEqualTo("before\n");
        assertThat(failed.stderr()).isEqualTo("command terminated with exit code 3\n");
    }

    @Test
    void execsOverWebSocketByDefault() {
        sandbox.clearReceived();
        execsWithStdinAndExitCode(kubectl);
        assertThat(received(sandbox, "exec", pod(0))).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.header("Sec-WebSocket-Protocol")).isEqualTo("v5.channel.k8s.io");
        }).hasSize(2);
    }

    @Test
    void execsOverSpdyWhenKubectlIsToldTo() {
        sandbox.clearReceived();
        execsWithStdinAndExitCode(spdyKubectl);
        assertThat(received(sandbox, "exec", pod(0))).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.header("Upgrade")).isEqualTo("SPDY/3.1");
            assertThat(r.headers("X-Stream-Protocol-Version")).containsExactly("v5.channel.k8s.io",
                    "v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io");
        }).hasSize(2);
    }

    @Test
    void execFallsBackToSpdyWhenWebSocketIsRefused() {
        spdySandbox.clearReceived();
        execsWithStdinAndExitCode(fallbackKubectl);
        assertThat(received(spdySandbox, "exec", pod(0))).extracting(ReceivedRequest::method)
                .containsExactly("GET", "POST", "GET", "POST");
    }

    @Test
    void copiesFilesBothWaysOverSpdy() throws Exception {
        sandbox.clearReceived();
        Path dir = Files.createTempDirectory("sandbox-cp-spdy");
        Path out = dir.resolve("os-release");
        KubectlResult copiedOut = spdyKubectl.run("cp", "prod/" + pod(1) + ":/etc/os-release", out.toString());
        assertThat(copiedOut.exitCode()).as("%s", copiedOut).isZero();
        assertThat(Files.readString(out)).startsWith("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
        Path in = Files.writeString(dir.resolve("upload.txt"), "to the pod\n".repeat(20_000));
        KubectlResult copiedIn = spdyKubectl.run("cp", in.toString(), "prod/" + pod(1) + ":/tmp/upload.txt");
        assertThat(copiedIn.exitCode()).as("%s", copiedIn).isZero();
        List<ReceivedRequest> execs = received(sandbox, "exec", pod(1));
        assertThat(execs).allSatisfy(r -> assertThat(r.header("Upgrade")).isEqualTo("SPDY/3.1"));
        assertThat(execs).extracting(ReceivedRequest::query)
                .anyMatch(q -> q.startsWith("command=tar&command=cf&command=-&command=%2Fetc%2Fos-release"))
                .anyMatch(q -> q.startsWith("command=tar&command=-xmf&command=-") && q.contains("stdin=true"));
    }

    private static void attachesWithStdin(Kubectl kubectl) {
        KubectlResult attached = kubectl.runWithInput("echo hello from stdin\nhostname\n", "attach", "-i",
                devPod(0), "-n", "dev");
        assertThat(attached.exitCode()).as("%s", attached).isZero();
        assertThat(attached.stdout()).isEqualTo("hello from stdin\n" + devPod(0) + "\n");
    }

    @Test
    void attachesToTheMainProcessOverWebSocketAndSpdy() {
        sandbox.clearReceived();
        attachesWithStdin(kubectl);
        attachesWithStdin(spdyKubectl);
        attachesWithStdin(fallbackKubectl);
        assertThat(sandbox.received().stream()
                .filter(r -> r.rawPath().equals("/api/v1/namespaces/dev/pods/" + devPod(0) + "/attach")))
                .extracting(ReceivedRequest::method).containsExactly("GET", "POST");
    }

    @Test
    void attachWithoutStdinSeesWhatTheMainProcessWrites() throws InterruptedException {
        String pod = devPod(1);
        try (KubectlProcess watcher = kubectl.start("attach", pod, "-n", "dev")) {
            long deadline = System.nanoTime() + AWAIT.toNanos();
            while (sandbox.attachedClients("dev", pod, "web") == 0 && System.nanoTime() < deadline
                    && watcher.isAlive()) {
                Thread.sleep(20);
            }
            assertThat(sandbox.attachedClients("dev", pod, "web")).as("%s", watcher).isEqualTo(1);
            KubectlResult writer = kubectl.runWithInput("echo seen by every attached client\n", "attach", "-i", pod,
                    "-n", "dev");
            assertThat(writer.exitCode()).as("%s", writer).isZero();
            assertThat(watcher.awaitLine(l -> l.equals("seen by every attached client"), AWAIT)).as("%s", watcher)
                    .isPresent();
        }
    }

    private static int forwardingPort(KubectlProcess forward) {
        return localPort(forward.awaitLine(l -> l.startsWith("Forwarding from 127.0.0.1:"), AWAIT)
                .orElseThrow(() -> new AssertionError("no Forwarding line: " + forward)));
    }

    private static String echoed(int port, String text) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] back = in.readNBytes(text.length());
            return new String(back, StandardCharsets.UTF_8);
        }
    }

    private void forwardsRealTcpBytes(Kubectl kubectl, Sandbox sandbox) throws Exception {
        try (KubectlProcess forward = kubectl.start("port-forward", "pod/" + pod(0), "-n", "prod", ":8080")) {
            int port = forwardingPort(forward);
            assertThat(echoed(port, "ping over the tunnel\n")).isEqualTo("ping over the tunnel\n");
            String big = "0123456789abcdef".repeat(16 * 1024);
            assertThat(echoed(port, big)).isEqualTo(big);
            assertThat(forward.isAlive()).as("%s", forward).isTrue();
        }
    }

    @Test
    void portForwardsToTheEchoServiceOverWebSocket() throws Exception {
        sandbox.clearReceived();
        forwardsRealTcpBytes(kubectl, sandbox);
        assertThat(received(sandbox, "portforward", pod(0))).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.header("Sec-WebSocket-Protocol")).isEqualTo("SPDY/3.1+portforward.k8s.io");
        });
    }

    @Test
    void portForwardsToTheEchoServiceOverSpdy() throws Exception {
        sandbox.clearReceived();
        forwardsRealTcpBytes(spdyKubectl, sandbox);
        assertThat(received(sandbox, "portforward", pod(0))).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.header("X-Stream-Protocol-Version")).isEqualTo("portforward.k8s.io");
        });
    }

    @Test
    void portForwardFallsBackToSpdyWhenWebSocketIsRefused() throws Exception {
        spdySandbox.clearReceived();
        forwardsRealTcpBytes(fallbackKubectl, spdySandbox);
        assertThat(received(spdySandbox, "portforward", pod(0))).extracting(ReceivedRequest::method)
                .containsExactly("GET", "POST");
    }

    @Test
    void portForwardToAPortNothingServesReportsTheErrorOnTheErrorStream() throws Exception {
        try (KubectlProcess forward = kubectl.start("port-forward", "pod/" + pod(0), "-n", "prod", ":9999")) {
            int port = forwardingPort(forward);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("anyone?".getBytes(StandardCharsets.UTF_8));
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            }
            long deadline = System.nanoTime() + AWAIT.toNanos();
            while (!forward.stderr().contains("nothing listens on port 9999") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(forward.stderr()).contains("error forwarding port 9999 to pod " + pod(0))
                    .contains("nothing listens on port 9999 in the sandbox");
        }
    }

    @Test
    void portForwardsConfiguredPortsToTheirTargetsAndReportsRefusedConnections() throws Exception {
        try (KubectlProcess forward = fallbackKubectl.start("port-forward", "pod/" + pod(1), "-n", "prod", ":7000",
                ":7001")) {
            String greeting = forward.awaitLine(l -> l.endsWith("-> 7000"), AWAIT).orElseThrow();
            String refused = forward.awaitLine(l -> l.endsWith("-> 7001"), AWAIT).orElseThrow();
            try (Socket socket = new Socket("127.0.0.1", localPort(greeting))) {
                socket.setSoTimeout(10_000);
                assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("hello from the target\n");
            }
            try (Socket socket = new Socket("127.0.0.1", localPort(refused))) {
                socket.setSoTimeout(10_000);
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            }
            long deadline = System.nanoTime() + AWAIT.toNanos();
            while (!forward.stderr().contains("error forwarding port 7001") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(forward.stderr()).contains("error forwarding port 7001 to pod " + pod(1))
                    .contains("failed to connect to 127.0.0.1:").contains("Connection refused");
        }
    }

    private static int localPort(String forwardingLine) {
        Matcher m = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> \\d+").matcher(forwardingLine);
        assertThat(m.matches()).as(forwardingLine).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
