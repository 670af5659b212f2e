package dev.gatehouse.export.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) in a child JVM from the test class path: the
 * storage is formatted once, the broker can be stopped and started again on the same ports and data, and
 * every process runs under coreutils {@code timeout} and is stopped by its pid.
 */
final class KafkaBroker implements AutoCloseable {
    private static final Duration LIMIT = Duration.ofMinutes(4);

    private final Path dir;
    private final Path properties;
    private final int port;
    private Process process;

    private KafkaBroker(Path dir, Path properties, int port) {
        this.dir = dir;
        this.properties = properties;
        this.port = port;
    }

    static KafkaBroker format(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = freePort();
        int controller = freePort();
        Path properties = dir.resolve("server.properties");
        Files.writeString(properties, """
                process.roles=broker,controller
                node.id=1
                controller.quorum.bootstrap.servers=127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                controller.listener.names=CONTROLLER
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%3$s
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                num.partitions=1
                auto.create.topics.enable=false
                group.initial.rebalance.delay.ms=0
                """.formatted(port, controller, dir.resolve("data")));
        KafkaBroker broker = new KafkaBroker(dir, properties, port);
        Process format = broker.java("kafka.tools.StorageTool", "format", "--standalone", "-t",
                "R2F0ZWhvdXNlVGVzdDAwMQ", "-c", properties.toString()).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("kafka storage format failed: " + Files.readString(dir.resolve("broker.log")));
        }
        return broker;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    void start() throws IOException, InterruptedException {
        process = java("kafka.Kafka", properties.toString()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kafka exited: " + Files.readString(dir.resolve("broker.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("kafka did not listen on " + port + " within 60 s");
    }

    /** Kills the broker at once (SIGKILL to the JVM, by its pid), as a crash would. */
    void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private ProcessBuilder java(String main, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of("timeout", "-s", "KILL", Long.toString(LIMIT.toSeconds()),
                java, "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
