package dev.gatehouse.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.sandbox.Sandbox;
import dev.gatehouse.sandbox.SandboxOptions;
import dev.gatehouse.sandbox.idp.DemoUser;
import dev.gatehouse.sandbox.idp.SandboxIdentityProvider;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.recording.ReceivedRequest;

/**
 * The files {@code gatehouse demo} writes, run as the demo runs them (the gateway from its {@code gatehouse.yaml})
 * and used with the real kubectl and the demo's own kubeconfig: absolute paths ({@code kubectl get --raw}) reach
 * the sandbox, because the kubeconfig names the gateway's root, where the sandbox is the default cluster.
 */
class DemoKubeconfigTest {
    @TempDir
    Path dir;
    Sandbox sandbox;
    SandboxIdentityProvider idp;
    Gatehouse gateway;
    Path kubeconfig;

    @BeforeEach
    void start() throws IOException {
        sandbox = Sandbox.start(SandboxOptions.builder().certificateDirectory(dir.resolve("sandbox")).build());
        idp = SandboxIdentityProvider.start(0, DemoUser.defaults(), dir.resolve("idp"));
        DemoFiles files = DemoFiles.write(dir, sandbox, idp, DemoCommand.USERS, DemoCommand.freeOr(0));
        GatehouseConfig config = ConfigLoader.load(files.config());
        assertThat(config.defaultCluster()).isEqualTo("sandbox");
        gateway = Gatehouse.start(config);
        kubeconfig = files.writeKubeconfig(gateway.port());
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        idp.close();
        sandbox.close();
    }

    record Run(int exit, String out) {
    }

    /** The real kubectl with the demo's kubeconfig, killed (by its pid) after 60 s. */
    Run kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Kubectl.findBinary().orElseThrow().toString(),
                "--kubeconfig", kubeconfig.toString(), "--cache-dir", dir.resolve("kube-cache").toString(),
                "--request-timeout", "30s"));
        command.addAll(List.of(args));
        Path output = dir.resolve("kubectl.out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("kubectl " + List.of(args) + " (pid " + p.pid() + ") did not end in 60 s");
        }
        return new Run(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    @Test
    void theDemoKubeconfigNamesTheGatewaysRootAndRawRequestsReachTheSandbox() throws Exception {
        assertThat(Files.readString(kubeconfig)).contains("server: https://127.0.0.1:" + gateway.port() + "\n");
        int mark = sandbox.received().size();
        Run version = kubectl("get", "--raw", "/version");
        assertThat(version.exit()).as(version.out()).isZero();
        assertThat(version.out()).contains("\"gitVersion\"");
        List<ReceivedRequest> upstream = sandbox.received().subList(mark, sandbox.received().size());
        assertThat(upstream).extracting(ReceivedRequest::rawPath).contains("/version");

        Run pods = kubectl("get", "pods", "-n", "dev");
        assertThat(pods.exit()).as(pods.out()).isZero();
        assertThat(pods.out()).contains("NAME").contains("Running");

        // the path prefix keeps working beside the root
        Run prefixed = kubectl("--server", "https://127.0.0.1:" + gateway.port() + "/clusters/sandbox",
                "get", "pods", "-n", "dev");
        assertThat(prefixed.exit()).as(prefixed.out()).isZero();
        assertThat(prefixed.out()).isEqualTo(pods.out());
    }
}
