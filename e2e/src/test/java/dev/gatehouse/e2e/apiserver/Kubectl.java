package dev.gatehouse.e2e.apiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real kubectl 1.32 ({@code /usr/lib/google-cloud-sdk/bin/kubectl.1.32}, or {@code $GATEHOUSE_KUBECTL};
 * plain {@code kubectl} there is a version dispatcher) with a given kubeconfig and cache dir, with a timeout.
 */
public final class Kubectl {
    public static final Path DEFAULT_BINARY = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.32");

    private final Path binary;
    private final Path kubeconfig;
    private final Path cacheDir;
    private final Duration timeout;

    public Kubectl(Path kubeconfig, Path cacheDir) {
        this(binary(), kubeconfig, cacheDir, Duration.ofSeconds(60));
    }

    public Kubectl(Path binary, Path kubeconfig, Path cacheDir, Duration timeout) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.cacheDir = cacheDir;
        this.timeout = timeout;
    }

    /** The kubectl binary to use; fails with a clear message when it is missing. */
    public static Path binary() {
        String explicit = System.getenv("GATEHOUSE_KUBECTL");
        Path path = explicit != null && !explicit.isBlank() ? Path.of(explicit) : DEFAULT_BINARY;
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("kubectl 1.32 not found at " + path
                    + " (set GATEHOUSE_KUBECTL to a kubectl binary)");
        }
        return path;
    }

    /** Exit code and output of one kubectl run. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** Runs {@code kubectl --kubeconfig K --cache-dir C --request-timeout=20s ARGS...}. */
    public Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--kubeconfig=" + kubeconfig, "--cache-dir=" + cacheDir, "--request-timeout=20s"));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(cacheDir.getParent(), "kubectl-", ".out");
            Path err = Files.createTempFile(cacheDir.getParent(), "kubectl-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                builder.environment().put("HOME", cacheDir.getParent().toString());
                builder.environment().remove("KUBECONFIG");
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                    throw new AssertionError("kubectl timed out after " + timeout + ": " + String.join(" ", command)
                            + "\n--- stdout\n" + Files.readString(out) + "--- stderr\n" + Files.readString(err));
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
