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
        List<String> command = command(args);
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

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--kubeconfig=" + kubeconfig, "--cache-dir=" + cacheDir, "--request-timeout=20s"));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Starts kubectl in the background (e.g. {@code get pods -w}) under coreutils {@code timeout}, so it dies
     * after this runner's timeout even if nobody stops it. Stop it with {@link Running#stop()}.
     */
    public Running start(String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/timeout", "--kill-after=5s",
                Math.max(1, timeout.toSeconds()) + "s"));
        command.addAll(command(args));
        try {
            Path out = Files.createTempFile(cacheDir.getParent(), "kubectl-", ".out");
            Path err = Files.createTempFile(cacheDir.getParent(), "kubectl-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().put("HOME", cacheDir.getParent().toString());
            builder.environment().remove("KUBECONFIG");
            return new Running(builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** A kubectl running in the background; its output goes to files and it is stopped by pid. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final Path out;
        private final Path err;
        private volatile Result result;

        private Running(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /** The pid of the process started (the {@code timeout} wrapper; kubectl is its child). */
        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Standard output so far. */
        public String stdout() {
            Result done = result;
            return done != null ? done.stdout() : read(out);
        }

        /** Waits (bounded) until standard output contains {@code text}; false if it did not in time. */
        public boolean awaitStdout(String text, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (stdout().contains(text)) {
                    return true;
                }
                if (!process.isAlive()) {
                    return stdout().contains(text);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return false;
        }

        /**
         * Stops the process tree by pid (SIGTERM to kubectl and its wrapper, SIGKILL after 5 s) and returns
         * what it printed. Idempotent.
         */
        public synchronized Result stop() {
            if (result != null) {
                return result;
            }
            List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
            tree.add(process.toHandle());
            tree.forEach(ProcessHandle::destroy);
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            result = new Result(process.isAlive() ? -1 : process.exitValue(), read(out), read(err));
            try {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            } catch (IOException ignored) {
                // best effort
            }
            return result;
        }

        @Override
        public void close() {
            stop();
        }

        private static String read(Path file) {
            try {
                return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
    }
}
