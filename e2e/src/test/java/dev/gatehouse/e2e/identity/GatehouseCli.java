package dev.gatehouse.e2e.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code gatehouse} command in its own JVM, as a person's machine runs it: a launcher script
 * ({@code <dir>/bin/gatehouse}) that runs {@code dev.gatehouse.cli.Main} from the test classpath with a private
 * config dir (where {@code gatehouse login} caches the tokens) and logs on stderr only, so that
 * {@code gatehouse credential} prints nothing but the ExecCredential on stdout. kubectl runs the same launcher as
 * its exec plugin.
 */
final class GatehouseCli {
    private static final Pattern SIGN_IN = Pattern.compile("Sign in at: (\\S+)");

    private final Path launcher;
    private final Path configDir;

    GatehouseCli(Path dir) {
        try {
            configDir = Files.createDirectories(dir.resolve("config"));
            Path logback = Files.writeString(dir.resolve("logback-cli.xml"), """
                    <configuration>
                      <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender"><target>System.err</target>
                        <encoder><pattern>%-5level %logger{24} - %msg%n</pattern></encoder></appender>
                      <root level="WARN"><appender-ref ref="ERR"/></root>
                    </configuration>
                    """);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path cp = Files.writeString(dir.resolve("classpath"), classpath);
            launcher = Files.createDirectories(dir.resolve("bin")).resolve("gatehouse");
            Files.writeString(launcher, """
                    #!/bin/sh
                    export GATEHOUSE_CONFIG_DIR='%s'
                    exec '%s' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xmx256m \\
                      -Dlogback.configurationFile='%s' -cp "$(cat '%s')" dev.gatehouse.cli.Main "$@"
                    """.formatted(configDir, java, logback, cp));
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the gatehouse launcher", e);
        }
    }

    /** The launcher script (what {@code --exec-command} names). */
    Path launcher() {
        return launcher;
    }

    /** Where logins are cached ({@code GATEHOUSE_CONFIG_DIR}). */
    Path configDir() {
        return configDir;
    }

    /** How a command ended. */
    record Run(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs {@code gatehouse login <args> --no-browser}: when it prints the sign-in URL, {@code browser} acts on
     * it as a person would. Killed (by pid, with its children) after {@code timeout}.
     */
    Run login(Consumer<String> browser, Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "login"));
        command.addAll(List.of(args));
        command.add("--no-browser");
        try {
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            try {
                CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
                StringBuilder err = new StringBuilder();
                Thread errReader = Thread.ofVirtual().start(() -> {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                            StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            synchronized (err) {
                                err.append(line).append('\n');
                            }
                            Matcher m = SIGN_IN.matcher(line);
                            if (m.find()) {
                                browser.accept(m.group(1));
                            }
                        }
                    } catch (IOException ignored) {
                        // the process was stopped
                    }
                });
                boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!finished) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
                errReader.join(Duration.ofSeconds(5));
                synchronized (err) {
                    return new Run(finished ? process.exitValue() : -1, out.get(5, TimeUnit.SECONDS), err.toString());
                }
            } finally {
                if (process.isAlive()) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (Exception e) {
            throw new IllegalStateException("gatehouse login did not complete", e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
