package dev.gatehouse.e2e.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.cli.Main;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.sandbox.SandboxOptions;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import picocli.CommandLine;

/**
 * The sessions API through the live gateway with the {@code gatehouse sessions} commands: a reader lists and watches
 * a live exec session read-only, a non-moderator cannot end it, a moderator does and the user sees why, and every one
 * of these calls is itself an audit event.
 */
class SessionsApiThroughGatewayTest {
    @TempDir
    static Path dir;

    private static GatewayFixture fixture;
    private static Kubectl alice;
    private static String pod;

    @BeforeAll
    static void start() throws Exception {
        fixture = new GatewayFixture(dir, SandboxOptions.defaults(),
                new GatehouseConfig.ReadersConfig(List.of("readers"), List.of()),
                new GatehouseConfig.SessionsConfig(new GatehouseConfig.ReadersConfig(List.of("sre"), List.of()),
                        Duration.ofMinutes(5), 1L << 30, "end", false));
        alice = fixture.kubectl(GatewayFixture.ALICE_TOKEN);
        pod = alice.run("get", "pods", "-o", "name").stdout().lines().findFirst().orElseThrow().replace("pod/", "");
        Files.writeString(dir.resolve("ca.crt"), fixture.gatewayCaPem);
        Files.writeString(dir.resolve("alice.token"), GatewayFixture.ALICE_TOKEN);
        Files.writeString(dir.resolve("bob.token"), GatewayFixture.BOB_TOKEN);
    }

    @AfterAll
    static void stop() {
        alice.close();
        fixture.close();
    }

    /** {@code gatehouse sessions ARGS --server … --token-file <who>.token} in this JVM: exit code, stdout, stderr. */
    private static String[] cli(String who, String... args) {
        return cli(new StringWriter(), who, args);
    }

    /** The same, writing stdout into {@code out} as it goes (for a command that runs until a session ends). */
    private static String[] cli(StringWriter out, String who, String... args) {
        List<String> all = new ArrayList<>(List.of("sessions"));
        all.addAll(List.of(args));
        all.addAll(List.of("--server", "https://127.0.0.1:" + fixture.gateway.port(), "--certificate-authority",
                dir.resolve("ca.crt").toString(), "--token-file", dir.resolve(who + ".token").toString()));
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int code = command.execute(all.toArray(String[]::new));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void aReaderWatchesALiveSessionAndAModeratorEndsIt() throws Exception {
        Process exec = new ProcessBuilder(Kubectl.findBinary().orElseThrow().toString(),
                "--kubeconfig=" + alice.kubeconfig(), "--cache-dir=" + alice.cacheDir(), "exec", "-i", pod, "--", "cat")
                .redirectOutput(dir.resolve("exec.out").toFile()).redirectError(dir.resolve("exec.err").toFile())
                .start();
        try (OutputStream stdin = exec.getOutputStream()) {
            String id = null;
            for (int i = 0; i < 100 && id == null; i++) {
                String[] list = cli("alice", "list");
                assertThat(list[0]).as(list[2]).isEqualTo("0");
                id = list[1].lines().filter(l -> l.endsWith("(live)")).map(l -> l.split("\\s+")[0]).findFirst()
                        .orElse(null);
                Thread.sleep(id == null ? 100 : 0);
            }
            assertThat(id).as("a live session in the list").isNotNull();
            String session = id;

            StringWriter following = new StringWriter();
            CompletableFuture<String[]> watch = CompletableFuture.supplyAsync(() -> cli(following, "alice", "watch",
                    session));
            // the watcher joins asynchronously and follows from then on: type until it has seen a line
            for (int i = 0; i < 100 && !following.toString().contains("typed-for-the-watcher"); i++) {
                stdin.write("typed-for-the-watcher\n".getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                Thread.sleep(200);
            }
            assertThat(following.toString()).contains("typed-for-the-watcher");
            assertThat(Files.readString(dir.resolve("exec.out"))).contains("typed-for-the-watcher");

            String[] refused = cli("alice", "kill", session);
            assertThat(refused[0]).isEqualTo("2");
            assertThat(refused[2]).contains("403").contains("audit.sessions.moderators");

            String[] killed = cli("bob", "kill", session);
            assertThat(killed[0]).as(killed[2]).isEqualTo("0");
            assertThat(exec.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(exec.exitValue()).isNotZero();
            assertThat(Files.readString(dir.resolve("exec.err"))).contains("the session was ended by bob");

            String[] watched = watch.get(20, TimeUnit.SECONDS);
            assertThat(watched[0]).as(watched[2]).isEqualTo("0");
            assertThat(watched[1]).contains("typed-for-the-watcher"); // what the pod echoed, as it happened

            String[] show = cli("alice", "show", session);
            assertThat(show[1]).contains("\"endReason\" : \"the session was ended by bob through Gatehouse\"")
                    .contains("\"user\" : \"alice\"");
            List<AuditEvent> reads = fixture.audit.events().stream()
                    .filter(e -> e.gatehouse() != null && "evidence-read".equals(e.gatehouse().type())
                            && e.objectRef() != null && "sessions".equals(e.objectRef().resource()))
                    .toList();
            assertThat(reads).extracting(AuditEvent::verb)
                    .contains("sessions-list", "sessions-watch", "sessions-kill", "sessions-show");
            assertThat(reads).filteredOn(e -> e.verb().equals("sessions-kill"))
                    .extracting(e -> e.user().username() + " " + e.responseStatus().code())
                    .containsExactly("alice 403", "bob 200");
        } finally {
            exec.destroyForcibly();
        }
    }
}
