package dev.gatehouse.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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

    private Sandbox sandbox;
    private Sandbox spdySandbox;
    private Kubectl kubectl;
    private Kubectl spdyKubectl;
    private Kubectl fallbackKubectl;

    @BeforeAll
    void start() {
        sandbox = Sandbox.start();
        spdySandbox = Sandbox.start(SandboxOptions.builder().webSocketStreams(false).build());
        kubectl = Kubectl.create(config(sandbox), BOUNDED);
        spdyKubectl = Kubectl.create(config(sandbox), BOUNDED.withEnv(SPDY_ONLY));
        fallbackKubectl = Kubectl.create(config(spdySandbox), BOUNDED);
    }

    private static Kubeconfig config(Sandbox sandbox) {
        return new Kubeconfig(sandbox.url(), sandbox.caCertificatePem(), sandbox.adminToken(), null, null);
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {kubectl, spdyKubectl, fallbackKubectl, sandbox, spdySandbox}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }

    private static String pod(int i) {
        return Seed.WEB_PODS.get("prod").get(i);
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
}
