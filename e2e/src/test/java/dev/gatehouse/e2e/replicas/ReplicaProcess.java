package dev.gatehouse.e2e.replicas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.gatehouse.e2e.GatewayAuditLog;
import dev.gatehouse.e2e.ManagedProcess;

/**
 * One gateway replica as a process of its own ({@code gatehouse serve --config}), so it can be SIGKILLed: its own
 * port, data directory (audit log, signing key) and log file; the shared PostgreSQL in its {@code store} block.
 * Started again on the same data directory after a kill, as an orchestrator would.
 */
final class ReplicaProcess implements AutoCloseable {
    final String name;
    final int port;
    final Path config;
    final Path dataDir;
    private final Path dir;
    private ManagedProcess process;
    private int starts;

    ReplicaProcess(String name, Path dir, String sharedYaml) {
        this.name = name;
        this.dir = dir;
        this.port = freePort();
        this.dataDir = dir.resolve(name + "-data");
        this.config = dir.resolve(name + ".yaml");
        try {
            Files.writeString(config, sharedYaml.replace("PORT", Integer.toString(port))
                    .replace("DATA_DIR", dataDir.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the process and waits (90 s at most) until it listens. */
    ReplicaProcess start() {
        starts++;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = dir.resolve(name + "-" + starts + ".log");
        process = ManagedProcess.start(name, List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Dlogback.configurationFile=" + dir.resolve("logback-replica.xml"), "-cp",
                classpath, "dev.gatehouse.cli.Main", "serve", "--config", config.toString()), log,
                Duration.ofMinutes(10), Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (process.logTail(400).contains("listening on https://127.0.0.1:" + port)) {
                return this;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited at start:\n" + process.logTail(40));
            }
            sleep(100);
        }
        throw new AssertionError(name + " did not listen within 90 s:\n" + process.logTail(40));
    }

    /** SIGKILL to the gateway's JVM (the child of the {@code timeout} wrapper): no shutdown hook runs. */
    void kill() {
        ProcessHandle wrapper = ProcessHandle.of(process.pid()).orElseThrow();
        List<ProcessHandle> tree = new java.util.ArrayList<>(wrapper.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly); // SIGKILL on Linux
        tree.forEach(h -> h.onExit().join());
        process.close();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    String logTail(int lines) {
        return process.logTail(lines);
    }

    /** This replica's own signed audit log, read from its data directory. */
    GatewayAuditLog audit() {
        return new GatewayAuditLog(dev.gatehouse.config.ConfigLoader.load(config));
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
