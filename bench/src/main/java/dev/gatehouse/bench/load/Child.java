package dev.gatehouse.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process the harness started. It runs under coreutils {@code timeout}, so it ends by itself even if the
 * harness is killed; {@link #close()} stops it (and whatever it forked) by pid. Output goes to a log file
 * whose tail is shown when the process fails to come up.
 */
final class Child implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private Child(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command}; it is sent SIGTERM after {@code limit} and SIGKILL 5 s later. */
    static Child start(String name, List<String> command, Path log, Duration limit) {
        List<String> full = new ArrayList<>(List.of("timeout", "--kill-after=5s", limit.toSeconds() + "s"));
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            return new Child(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
    }

    String name() {
        return name;
    }

    /** The process and everything it forked (nginx's workers, for instance). */
    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        pids.add(process.pid());
        process.descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    /** The pid of the program itself (the child of {@code timeout}). */
    long mainPid() {
        return process.children().findFirst().map(ProcessHandle::pid).orElse(process.pid());
    }

    /** Waits until {@code port} on loopback accepts connections; fails with the log's tail if it never does. */
    Child awaitPort(int port, Duration within) {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        throw new IllegalStateException(name + " did not listen on port " + port + " within " + within + ":\n" + tail());
    }

    /** Waits for the process to end by itself; returns its exit code, or fails after {@code within}. */
    int await(Duration within) {
        try {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not finish within " + within + ":\n" + tail());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    String tail() {
        String out = output();
        return out.length() > 3000 ? "..." + out.substring(out.length() - 3000) : out;
    }

    /** SIGTERM to the process (timeout passes it on), then SIGKILL to every pid still there after 5 s. */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.forEach(p -> {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        });
        process.destroyForcibly();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
