package dev.gatehouse.e2e.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlResult;

/**
 * The built-in detectors with the real kubectl through the gateway: {@code kubectl logs} of a pod that prints keys
 * shows markers instead (also followed with {@code -f}); {@code kubectl exec -- printenv GITHUB_TOKEN} shows the user
 * the token (their live stream is not changed) while the session recording keeps only its marker. (The command is
 * used rather than {@code echo <token>}: a token in the command line itself is in the request URI, the audit record
 * and the recording's title, which the detectors do not rewrite.)
 */
class DetectionThroughGatewayTest {
    private static final String AWS_KEY_ID = "AKIAZ7QXJ4N2KD5WLM3P";
    private static final String GITHUB = "ghp_Zx8Rt5Kq2Lm9Vb3Nc7Hd1Fg6Js4Pw0Ya8UeI";
    private static final String MARKER = "gatehouse:masked:hmac-sha256:";

    @TempDir
    static Path dir;

    private static GatewayFixture fixture;
    private static Kubectl alice;

    @BeforeAll
    static void start() {
        fixture = new GatewayFixture(dir);
        alice = fixture.kubectl(GatewayFixture.ALICE_TOKEN);
        KubectlResult run = alice.run("run", "leaky", "--image=busybox", "--env=GITHUB_TOKEN=" + GITHUB,
                "--annotations=sandbox.gatehouse.dev/prints=using key " + AWS_KEY_ID + " for uploads");
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @AfterAll
    static void stop() {
        alice.close();
        fixture.close();
    }

    @Test
    void logsOfAPodThatPrintsAKeyShowItsMarker() {
        KubectlResult logs = alice.run("logs", "leaky");

        assertThat(logs.exitCode()).as(logs.toString()).isZero();
        assertThat(logs.stdout()).contains("leaky/leaky line 1: GET /api/items/1 200")
                .contains("using key " + MARKER).contains(" for uploads\n").doesNotContain(AWS_KEY_ID);
    }

    @Test
    void followedLogsAreMaskedToo() {
        KubectlResult logs = alice.run(java.time.Duration.ofSeconds(20), null, "logs", "-f", "leaky",
                "--request-timeout=3s");

        assertThat(logs.stdout()).contains("using key " + MARKER).doesNotContain(AWS_KEY_ID);
    }

    @Test
    void execShowsTheUserTheKeyButTheRecordingKeepsOnlyItsMarker() throws Exception {
        Path sessions = dir.resolve("data/sessions");
        int before = recordings(sessions, ".json").size();

        KubectlResult exec = alice.run("exec", "leaky", "--", "printenv", "GITHUB_TOKEN");

        assertThat(exec.exitCode()).as(exec.toString()).isZero();
        assertThat(exec.stdout()).isEqualTo(GITHUB + "\n");
        List<Path> summaries = recordings(sessions, ".json");
        for (int i = 0; i < 100 && summaries.size() <= before; i++) {
            Thread.sleep(100);
            summaries = recordings(sessions, ".json");
        }
        assertThat(summaries).hasSizeGreaterThan(before);
        for (Path file : recordings(sessions, "")) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertThat(text).as(file.getFileName().toString()).doesNotContain(GITHUB);
        }
        assertThat(recordings(sessions, ".cast").stream().map(DetectionThroughGatewayTest::read))
                .anyMatch(cast -> cast.contains("\"o\",\"" + MARKER));
    }

    private static List<Path> recordings(Path sessions, String suffix) throws IOException {
        if (!Files.isDirectory(sessions)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(sessions)) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
