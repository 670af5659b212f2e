package dev.gatehouse.e2e.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.sandbox.kubectl.Kubectl;

/**
 * A CI job's short-lived OIDC token opens an interactive exec through the gateway with the real kubectl; the session
 * is cut when that token expires, the user sees why, and the end event says the gateway ended it.
 */
class SessionCredentialExpiryTest {
    @TempDir
    static Path dir;
    static IdentityFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new IdentityFixture(dir);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void aSessionEndsWhenTheCredentialThatOpenedItExpires() throws Exception {
        String token = fx.ci.jobToken("shop", "refs/heads/main", 8);
        try (Kubectl kubectl = fx.kubectl(token)) {
            String pod = kubectl.run("get", "pods", "-o", "name").stdout().lines().findFirst().orElseThrow()
                    .replace("pod/", "");
            long start = System.nanoTime();
            Process exec = new ProcessBuilder(Kubectl.findBinary().orElseThrow().toString(),
                    "--kubeconfig=" + kubectl.kubeconfig(), "--cache-dir=" + kubectl.cacheDir(), "exec", "-i", pod,
                    "--", "cat").redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile())
                    .start();
            try (OutputStream stdin = exec.getOutputStream()) {
                stdin.write("still here\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                stdin.flush();
                assertThat(exec.waitFor(30, TimeUnit.SECONDS)).as("kubectl ended by the gateway").isTrue();
            } finally {
                exec.destroyForcibly();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(exec.exitValue()).isNotZero();
            assertThat(Files.readString(dir.resolve("out"))).isEqualTo("still here\n");
            assertThat(Files.readString(dir.resolve("err"))).contains("the credential that opened the session expired");
            assertThat(seconds).as("the session lasted until the token's expiry, not longer").isBetween(1.0, 20.0);
        }
        List<AuditEvent> ends = fx.audit.requestEvents().stream()
                .filter(e -> AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage()) && e.responseStatus() != null
                        && e.responseStatus().code() == 101)
                .toList();
        assertThat(ends).singleElement().satisfies(end -> {
            assertThat(end.responseStatus().message()).isEqualTo("the credential that opened the session expired");
            assertThat(end.gatehouse().details()).containsEntry("endedBy", "gateway");
            assertThat(end.user().username()).isEqualTo(IdentityFixture.CI_PREFIX + "repo:acme/shop:ref:refs/heads/main");
        });
    }
}
