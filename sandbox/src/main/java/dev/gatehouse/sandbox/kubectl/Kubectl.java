package dev.gatehouse.sandbox.kubectl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Drives the real kubectl binary for tests: a private kubeconfig and cache directory in a temporary directory,
 * one process per command with a timeout (the process tree is killed when it expires), and long-running commands
 * ({@code get -w}, {@code logs -f}) whose output lines can be awaited.
 * <p>
 * The binary is {@code $GATEHOUSE_KUBECTL}, else {@value #DEFAULT_BINARY}, else {@code kubectl.1.32} on the PATH.
 *
 * <pre>{@code
 * try (Kubectl kubectl = Kubectl.create(new Kubeconfig(sandbox.url(), sandbox.caCertificatePem(),
 *         sandbox.adminToken(), null, null))) {
 *     KubectlResult result = kubectl.run("get", "pods", "-A");
 * }
 * }</pre>
 */
public final class Kubectl implements AutoCloseable {
    /** Where the kubectl 1.32 binary is on the development machines. */
    public static final String DEFAULT_BINARY = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32";
    /** The timeout of {@link #run(String...)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Path binary;
    private final Path directory;
    private final Path kubeconfig;
    private final Path cacheDir;
    private final List<KubectlProcess> running = new CopyOnWriteArrayList<>();

    private Kubectl(Path binary, Path directory, Path kubeconfig, Path cacheDir) {
        this.binary = binary;
        this.directory = directory;
        this.kubeconfig = kubeconfig;
        this.cacheDir = cacheDir;
    }

    /** A kubectl for this kubeconfig, with the binary found as described above. */
    public static Kubectl create(Kubeconfig config) {
        Path binary = findBinary().orElseThrow(() -> new IllegalStateException("kubectl 1.32 not found: set "
                + "GATEHOUSE_KUBECTL, install " + DEFAULT_BINARY + ", or put kubectl.1.32 on the PATH"));
        try {
            Path dir = Files.createTempDirectory("gatehouse-kubectl-");
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, config.toYaml());
            try {
                Files.setPosixFilePermissions(kubeconfig, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // non-POSIX file system
            }
            Path cache = Files.createDirectories(dir.resolve("cache"));
            return new Kubectl(binary, dir, kubeconfig, cache);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a kubectl working directory", e);
        }
    }

    /** The kubectl binary, if one is found. */
    public static Optional<Path> findBinary() {
        String fromEnv = System.getenv("GATEHOUSE_KUBECTL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path p = Path.of(fromEnv);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        Path standard = Path.of(DEFAULT_BINARY);
        if (Files.isExecutable(standard)) {
            return Optional.of(standard);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, "kubectl.1.32");
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /** Runs a command with the default timeout. */
    public KubectlResult run(String... args) {
        return run(DEFAULT_TIMEOUT, null, args);
    }

    /** Runs a command with {@code stdin} as its standard input (e.g. {@code apply -f -}). */
    public KubectlResult runWithInput(String stdin, String... args) {
        return run(DEFAULT_TIMEOUT, stdin, args);
    }

    /** Runs a command; when it outlives {@code timeout} its process tree is killed and the result says so. */
    public KubectlResult run(Duration timeout, String stdin, String... args) {
        List<String> command = List.of(args);
        try {
            Path out = Files.createTempFile(directory, "out-", ".txt");
            Path err = Files.createTempFile(directory, "err-", ".txt");
            ProcessBuilder builder = processBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process process = builder.start();
            if (stdin != null) {
                try (var in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                destroyTree(process);
                process.waitFor(5, TimeUnit.SECONDS);
            }
            return new KubectlResult(command, finished ? process.exitValue() : -1,
                    Files.readString(out), Files.readString(err), !finished);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kubectl " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running kubectl " + command, e);
        }
    }

    /** Starts a long-running command ({@code get -w}, {@code logs -f}); stop it with {@link KubectlProcess#stop()}. */
    public KubectlProcess start(String... args) {
        List<String> command = List.of(args);
        try {
            Path err = Files.createTempFile(directory, "err-", ".txt");
            Process process = processBuilder(command).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            KubectlProcess started = new KubectlProcess(command, process, err);
            running.add(started);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start kubectl " + command, e);
        }
    }

    private ProcessBuilder processBuilder(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.add("--cache-dir=" + cacheDir);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        Map<String, String> env = builder.environment();
        env.remove("KUBECONFIG");
        env.put("HOME", directory.toString());
        env.put("KUBECTL_INTERACTIVE_DELETE", "false");
        return builder;
    }

    static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Stops every started command and removes the working directory. */
    @Override
    public void close() {
        running.forEach(KubectlProcess::stop);
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
