package dev.gatehouse.sandbox.kubectl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A kubectl command that keeps running ({@code get -w}, {@code logs -f}). Its standard output is read line by line
 * as it comes; tests wait for lines with {@link #awaitLine} and end it with {@link #stop()}, which stops it by pid
 * and returns what it printed.
 */
public final class KubectlProcess implements AutoCloseable {
    private final List<String> command;
    private final Process process;
    private final Path stderr;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private KubectlResult result;

    KubectlProcess(List<String> command, Process process, Path stderr) {
        this.command = List.copyOf(command);
        this.process = process;
        this.stderr = stderr;
        this.reader = Thread.ofVirtual().name("kubectl-" + process.pid()).start(this::read);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process was stopped
        } finally {
            synchronized (lines) {
                lines.notifyAll();
            }
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The standard output lines so far. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Waits for a line that matches (also among the lines already read); empty when none came in time. */
    public Optional<String> awaitLine(Predicate<String> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (match.test(line)) {
                        return Optional.of(line);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                    return Optional.empty();
                }
                try {
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
    }

    /** Waits until at least {@code count} lines were read; returns whether they were. */
    public boolean awaitLineCount(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (lines.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                    return lines.size() >= count;
                }
                try {
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Standard error so far. */
    public String stderr() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Stops the process tree by pid if it still runs (SIGTERM to every member, SIGKILL to those left after 5 s),
     * waits for it to go, and returns how it ended: exit code (-1 if it could not be stopped), every standard output
     * line, standard error. Idempotent: later calls return the same result.
     */
    public synchronized KubectlResult stop() {
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
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        StringBuilder stdout = new StringBuilder();
        lines().forEach(line -> stdout.append(line).append('\n'));
        result = new KubectlResult(command, process.isAlive() ? -1 : process.exitValue(), stdout.toString(), stderr(),
                false);
        return result;
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "kubectl " + String.join(" ", command) + " (pid " + process.pid() + ")\n--- stdout ---\n"
                + String.join("\n", lines()) + "\n--- stderr ---\n" + stderr();
    }
}
