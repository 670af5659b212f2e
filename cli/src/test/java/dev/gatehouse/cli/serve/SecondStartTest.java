package dev.gatehouse.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.cli.Main;
import dev.gatehouse.listen.CertificateAuthority;
import picocli.CommandLine;

/**
 * Two gateways on one data directory: the first ({@code gatehouse serve} in a child JVM) runs; a second
 * {@code serve}, and a {@code demo} on the same directory, refuse to start with one line naming the lock and the
 * first one's pid, and a non-zero exit, instead of running without being able to record anything.
 */
@Timeout(120)
class SecondStartTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondServeOrDemoOnTheSameDataDirectoryRefusesToStartNamingTheHolder() throws Exception {
        Path home = tmp.resolve("demo-home");
        Path data = home.resolve("data");
        Path config = writeConfig(data);
        Path lock = data.resolve("audit").resolve(".lock");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process first = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--config", config.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(tmp.resolve("first.err").toFile())
                .start();
        try {
            String holder = "pid " + first.pid();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && first.isAlive()
                    && !(Files.exists(lock) && Files.readString(lock).strip().equals(holder))) {
                Thread.sleep(50);
            }
            assertThat(first.isAlive()).as("the first gateway runs: " + Files.readString(tmp.resolve("first.err")))
                    .isTrue();
            assertThat(Files.readString(lock).strip()).isEqualTo(holder);

            StringWriter err = new StringWriter();
            StringWriter out = new StringWriter();
            int exit = run(out, err, "serve", "--config", config.toString());
            assertThat(exit).isEqualTo(ServeCommand.IN_USE).isNotZero();
            assertThat(err.toString()).isEqualTo("gatehouse serve: data directory " + data + " is in use by another "
                    + "Gatehouse (lock " + lock + " held by " + holder + ")" + System.lineSeparator());
            assertThat(out.toString()).isEmpty();

            StringWriter demoErr = new StringWriter();
            StringWriter demoOut = new StringWriter();
            exit = run(demoOut, demoErr, "demo", "--dir", home.toString());
            assertThat(exit).isEqualTo(ServeCommand.IN_USE);
            assertThat(demoErr.toString()).isEqualTo("gatehouse demo: data directory " + data + " is in use by "
                    + "another Gatehouse (lock " + lock + " held by " + holder + ")" + System.lineSeparator());
            assertThat(demoOut.toString()).doesNotContain("running");
            assertThat(home.resolve("sandbox")).as("the demo started nothing").doesNotExist();

            assertThat(first.isAlive()).as("the first gateway is untouched").isTrue();
        } finally {
            first.destroyForcibly();
            first.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path writeConfig(Path data) throws Exception {
        CertificateAuthority.WrittenFiles tls = CertificateAuthority.create("gateway-ca", Duration.ofDays(1))
                .issueServer("gateway", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .written(tmp.resolve("tls"), "gateway");
        Files.writeString(tmp.resolve("tokens.csv"), "token-0123456789abcdef,alice,uid-alice,\"developers\"\n");
        Files.writeString(tmp.resolve("upstream-token"), "upstream-token-0123456789");
        Path config = tmp.resolve("gatehouse.yaml");
        Files.writeString(config, """
                listen: {address: 127.0.0.1, port: 0, certFile: %s, keyFile: %s}
                dataDir: %s
                authentication: {staticTokenFile: tokens.csv}
                clusters:
                  - name: fake
                    server: https://127.0.0.1:1
                    caFile: %s
                    tokenFile: upstream-token
                """.formatted(tls.certificate(), tls.privateKey(), data, tls.ca()));
        return config;
    }
}
