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
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Drives the real kubectl binary for tests: a private kubeconfig and cache directory in a temporary directory,
 * one process per command with a timeout (the process tree is killed when it expires), and long-running commands
 * ({@code get -w}, {@code logs -f}) whose output lines can be awaited. {@link Options} set the timeout, kubectl's
 * {@code --request-timeout}, and a hard lifetime for long-running commands.
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
    /** The timeout of {@link #run(String...)} under {@link Options#DEFAULT}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Runs a started command under a hard lifetime. */
    private static final Path COREUTILS_TIMEOUT = Path.of("/usr/bin/timeout");

    /**
     * How a {@link Kubectl} runs its commands.
     *
     * @param timeout        how long {@link #run(String...)} and {@link #runWithInput} wait before they kill the
     *                       process tree
     * @param requestTimeout kubectl's {@code --request-timeout} on every command, or null for kubectl's default
     * @param lifetime       how long a {@link #start started} command may run before coreutils {@code timeout} ends
     *                       it (SIGTERM, SIGKILL 5 s later) even if it is never stopped, or null for no limit
     * @param env            extra environment variables of every command, e.g.
     *                       {@code KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false} to make exec and attach use SPDY
     */
    public record Options(Duration timeout, Duration requestTimeout, Duration lifetime, Map<String, String> env) {
        /** {@link Kubectl#DEFAULT_TIMEOUT}, no request timeout, no lifetime. */
        public static final Options DEFAULT = new Options(DEFAULT_TIMEOUT, null, null);

        public Options {
            Objects.requireNonNull(timeout, "timeout");
            env = Map.copyOf(env);
        }

        /** Options without extra environment variables. */
        public Options(Duration timeout, Duration requestTimeout, Duration lifetime) {
            this(timeout, requestTimeout, lifetime, Map.of());
        }

        /** These options with these extra environment variables. */
        public Options withEnv(Map<String, String> env) {
            return new Options(timeout, requestTimeout, lifetime, env);
        }
    }

    private final Path binary;
    private final Path directory;
    private final Path kubeconfig;
    private final Path cacheDir;
    private final Options options;
    private final List<KubectlProcess> running = new CopyOnWriteArrayList<>();

    private Kubectl(Path binary, Path directory, Path kubeconfig, Path cacheDir, Options options) {
        this.binary = binary;
        this.directory = directory;
        this.kubeconfig = kubeconfig;
        this.cacheDir = cacheDir;
        this.options = options;
    }

    /** A kubectl for this kubeconfig with {@link Options#DEFAULT}, the binary found as described above. */
    public static Kubectl create(Kubeconfig config) {
        return create(config, Options.DEFAULT);
    }

    /** A kubectl for this kubeconfig with these options, the binary found as described above. */
    public static Kubectl create(Kubeconfig config, Options options) {
        Objects.requireNonNull(options, "options");
        if (options.lifetime() != null && !Files.isExecutable(COREUTILS_TIMEOUT)) {
            throw new IllegalStateException(COREUTILS_TIMEOUT + " is missing: started commands' lifetime needs it");
        }
        Path binary = findBinary().orElseThrow(() -> new IllegalStateException("kubectl 1.32 not found: set "
                + "GATEHOUSE_KUBECTL, install " + DEFAULT_BINARY + ", or put kubectl.1.32 on the PATH"
                + (System.getenv("GATEHOUSE_KUBECTL") == null ? ""
                        : " (GATEHOUSE_KUBECTL=" + System.getenv("GATEHOUSE_KUBECTL") + " is not executable)")));
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
            return new Kubectl(binary, dir, kubeconfig, cache, options);
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

    public Options options() {
        return options;
    }

    /** Runs a command with the timeout of the {@link Options}. */
    public KubectlResult run(String... args) {
        return run(options.timeout(), null, args);
    }

    /** Runs a command with {@code stdin} as its standard input (e.g. {@code apply -f -}). */
    public KubectlResult runWithInput(String stdin, String... args) {
        return run(options.timeout(), stdin, args);
    }

    /** Runs a command; when it outlives {@code timeout} its process tree is killed and the result says so. */
    public KubectlResult run(Duration timeout, String stdin, String... args) {
        List<String> command = List.of(args);
        try {
            Path out = Files.createTempFile(directory, "out-", ".txt");
            Path err = Files.createTempFile(directory, "err-", ".txt");
            ProcessBuilder builder = processBuilder(List.of(), command).redirectOutput(out.toFile())
                    .redirectError(err.toFile());
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

    /**
     * Starts a long-running command ({@code get -w}, {@code logs -f}); stop it with {@link KubectlProcess#stop()}.
     * With a {@link Options#lifetime() lifetime} it runs under coreutils {@code timeout}, whose pid is then the
     * process's (kubectl is its child).
     */
    public KubectlProcess start(String... args) {
        List<String> command = List.of(args);
        try {
            Path err = Files.createTempFile(directory, "err-", ".txt");
            List<String> lifetime = options.lifetime() == null ? List.of() : List.of(COREUTILS_TIMEOUT.toString(),
                    "--kill-after=5s", Math.max(1, options.lifetime().toSeconds()) + "s");
            Process process = processBuilder(lifetime, command).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            KubectlProcess started = new KubectlProcess(command, process, err);
            running.add(started);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start kubectl " + command, e);
        }
    }

    /** {@code prefix kubectl --kubeconfig=… --cache-dir=… [--request-timeout=…] args…} in the private directory. */
    private ProcessBuilder processBuilder(List<String> prefix, List<String> args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(binary.toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.add("--cache-dir=" + cacheDir);
        if (options.requestTimeout() != null) {
            command.add("--request-timeout=" + goDuration(options.requestTimeout()));
        }
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        Map<String, String> env = builder.environment();
        env.remove("KUBECONFIG");
        env.put("HOME", directory.toString());
        env.put("KUBECTL_INTERACTIVE_DELETE", "false");
        env.putAll(options.env());
        return builder;
    }

    /** {@code 20s}, or {@code 1500ms} when not whole seconds. */
    private static String goDuration(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static void destroyTree(Process process) {
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
