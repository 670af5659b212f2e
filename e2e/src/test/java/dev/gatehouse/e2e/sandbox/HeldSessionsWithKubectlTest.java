package dev.gatehouse.e2e.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.sandbox.Sandbox;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlProcess;
import dev.gatehouse.sandbox.kubectl.KubectlResult;
import dev.gatehouse.status.GatewayException;
import dev.gatehouse.status.KubeStatus;

/**
 * What the real kubectl 1.32 shows and does when its session is held for review ({@link HeldGateway}: the session
 * bridge with a review the test decides): the notice on stderr, then the command's output and exit code once
 * approved, or the review's Status and a non-zero exit when denied — over WebSocket and over SPDY.
 */
class HeldSessionsWithKubectlTest {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HeldSessionsWithKubectlTest.class);
    private static final Map<String, String> FORCE_SPDY = Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false",
            "KUBECTL_PORT_FORWARD_WEBSOCKETS", "false");

    @TempDir
    static Path dir;
    static HeldGateway gateway;
    static Kubectl alice;
    static Kubectl aliceSpdy;
    static String pod;

    @BeforeAll
    static void start() throws Exception {
        gateway = new HeldGateway(dir);
        Kubectl.Options options = new Kubectl.Options(Duration.ofSeconds(120), null, Duration.ofSeconds(150));
        alice = gateway.kubectl(options);
        aliceSpdy = gateway.kubectl(options.withEnv(FORCE_SPDY));
        KubectlResult pods = alice.run("get", "pods", "-o", "name");
        assertThat(pods.succeeded()).as(pods.toString()).isTrue();
        pod = pods.stdout().lines().findFirst().orElseThrow().replace("pod/", "");
    }

    @AfterAll
    static void stop() throws Exception {
        alice.close();
        aliceSpdy.close();
        gateway.close();
    }

    private static CompletableFuture<KubectlResult> exec(Kubectl kubectl, String script) {
        return CompletableFuture.supplyAsync(() -> {
            KubectlResult result = kubectl.run("exec", pod, "--", "sh", "-c", script);
            LOG.info("kubectl exec ({}) exited {}; stdout {}; stderr {}", script, result.exitCode(),
                    quoted(result.stdout()), quoted(result.stderr()));
            return result;
        });
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }

    private static int execsReceived() {
        return (int) gateway.sandbox.received().stream().filter(r -> r.rawPath().endsWith("/exec")).count();
    }

    @Test
    void anApprovedWebSocketExecShowsTheNoticeThenRunsAndKeepsTheExitCode() throws Exception {
        int before = execsReceived();
        CompletableFuture<KubectlResult> run = exec(alice, "echo out-line; exit 3");
        var review = gateway.nextReview();
        Thread.sleep(1500);
        assertThat(execsReceived()).isEqualTo(before); // nothing reached the cluster while held
        review.complete();
        KubectlResult result = run.get();
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out-line\n");
        assertThat(result.stderr()).startsWith("Gatehouse: this session is held for review rev-e2e")
                .contains("command terminated with exit code 3");
    }

    @Test
    void aDeniedWebSocketExecPrintsTheStatusAndFails() throws Exception {
        int before = execsReceived();
        CompletableFuture<KubectlResult> run = exec(alice, "echo never");
        gateway.nextReview().fail(new GatewayException(KubeStatus.of(403,
                "review rev-e2e was denied by bob: not during the freeze")));
        KubectlResult result = run.get();
        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).contains("held for review rev-e2e")
                .contains("review rev-e2e was denied by bob: not during the freeze");
        assertThat(execsReceived()).isEqualTo(before);
    }

    @Test
    void anApprovedSpdyExecHeldPastKubectlsStreamTimeoutRuns() throws Exception {
        CompletableFuture<KubectlResult> run = exec(aliceSpdy, "echo over spdy; exit 4");
        var review = gateway.nextReview();
        Thread.sleep(Long.getLong("held.spdyWaitMillis", 35_000)); // kubectl waits 30 s for a stream's reply
        review.complete();
        KubectlResult result = run.get();
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
        assertThat(result.stdout()).isEqualTo("over spdy\n");
        assertThat(result.stderr()).startsWith("Gatehouse: this session is held for review rev-e2e");
    }

    @Test
    void aDeniedSpdyExecPrintsTheStatusAndFails() throws Exception {
        CompletableFuture<KubectlResult> run = exec(aliceSpdy, "echo never");
        var review = gateway.nextReview();
        Thread.sleep(1000);
        review.fail(new GatewayException(KubeStatus.of(403, "review rev-e2e expired before anyone decided")));
        KubectlResult result = run.get();
        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stderr()).contains("review rev-e2e expired before anyone decided");
    }

    @Test
    void anApprovedWebSocketExecHeldPastKubectlsPongDeadlineRuns() throws Exception {
        CompletableFuture<KubectlResult> run = exec(alice, "echo still here");
        var review = gateway.nextReview();
        Thread.sleep(Long.getLong("held.webSocketWaitMillis", 65_000)); // kubectl's read deadline: 61 s without a pong
        review.complete();
        KubectlResult result = run.get();
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).isEqualTo("still here\n");
    }

    @Test
    void aPortForwardOverWebSocketHeldPastKubectlsStreamTimeoutCarriesTheConnectionMadeWhileHeld() throws Exception {
        forwardsOnceApproved(alice, Long.getLong("held.spdyWaitMillis", 35_000));
    }

    @Test
    void aPortForwardOverSpdyWaitsThenCarriesTheConnectionMadeWhileHeld() throws Exception {
        forwardsOnceApproved(aliceSpdy, 2_000);
    }

    private static void forwardsOnceApproved(Kubectl kubectl, long holdMillis) throws Exception {
        try (KubectlProcess forward = kubectl.start("port-forward", "pod/" + pod, ":" + Sandbox.ECHO_PORT)) {
            var review = gateway.nextReview();
            String line = forward.awaitLine(l -> l.startsWith("Forwarding from 127.0.0.1:"), Duration.ofSeconds(20))
                    .orElseThrow(() -> new AssertionError("no Forwarding line: " + forward));
            int port = Integer.parseInt(line.substring("Forwarding from 127.0.0.1:".length(), line.indexOf(" ->")));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                socket.setSoTimeout((int) holdMillis + 20_000);
                socket.getOutputStream().write("typed while held\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                Thread.sleep(holdMillis);
                review.complete();
                byte[] echoed = socket.getInputStream().readNBytes(17);
                assertThat(new String(echoed, StandardCharsets.US_ASCII)).isEqualTo("typed while held\n");
            }
            Thread.sleep(300);
            LOG.info("kubectl port-forward printed {} and on stderr {}", forward.lines(), quoted(forward.stderr()));
        }
    }

    /**
     * A cluster that refuses WebSocket sessions (a node older than 1.30): kubectl already has the gateway's 101, so
     * it cannot fall back to SPDY; the approved session ends with the cluster's refusal named.
     */
    @Test
    void anApprovedWebSocketExecToAClusterRefusingWebSocketEndsWithTheRefusal() throws Exception {
        try (HeldGateway old = new HeldGateway(dir.resolve("old"),
                dev.gatehouse.sandbox.SandboxOptions.builder().webSocketStreams(false).build());
             Kubectl toOld = old.kubectl(new Kubectl.Options(Duration.ofSeconds(60), null, Duration.ofSeconds(90)))) {
            CompletableFuture<KubectlResult> run = exec(toOld, "echo never");
            old.nextReview().complete();
            KubectlResult result = run.get();
            assertThat(result.exitCode()).as(result.toString()).isNotZero();
            assertThat(result.stderr()).contains("held for review rev-e2e")
                    .contains("approved the session, but cluster \"sandbox\" refused it with HTTP 403");
            assertThat(old.completed).singleElement().satisfies(e -> assertThat(e.getKey()).isEqualTo(403));
        }
    }

    /** kubectl -it in a pseudo-terminal (script(1)): the notice shows as whole lines, then the shell runs. */
    @Test
    void aHeldTerminalSessionShowsTheNoticeAsLinesThenRuns() throws Exception {
        String command = Kubectl.findBinary().orElseThrow() + " --kubeconfig=" + alice.kubeconfig() + " --cache-dir="
                + alice.cacheDir() + " exec -it " + pod + " -- sh";
        Path typescript = dir.resolve("held-typescript");
        Process process = new ProcessBuilder("timeout", "60", "script", "-qefc", command, typescript.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("held-tty-out.txt").toFile()).start();
        try (java.io.OutputStream keys = process.getOutputStream()) {
            var review = gateway.nextReview();
            keys.write("echo typed-while-held\r".getBytes(StandardCharsets.US_ASCII)); // buffered, replayed
            keys.flush();
            Thread.sleep(2_000);
            review.complete();
            Thread.sleep(1_500);
            keys.write("exit 4\r".getBytes(StandardCharsets.US_ASCII));
            keys.flush();
            assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String seen = java.nio.file.Files.readString(typescript);
        LOG.info("the terminal showed {} and kubectl exited {}", quoted(seen), process.exitValue());
        assertThat(seen).contains("Gatehouse: this session is held for review rev-e2e; approve with: gatehouse review "
                + "approve rev-e2e\r\n").contains("typed-while-held\r\n");
        assertThat(process.exitValue()).isEqualTo(4);
    }
}
