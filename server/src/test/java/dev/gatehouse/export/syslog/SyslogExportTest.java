package dev.gatehouse.export.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.export.EventShape;
import dev.gatehouse.export.ExportFixture;
import dev.gatehouse.export.LogExporter;

@Timeout(60)
class SyslogExportTest {
    private static final Pattern AUDIT_ID = Pattern.compile("auditID=\"([^\"]+)\"");

    @TempDir
    Path tmp;

    /** A syslog server on a real socket that parses octet-counted RFC 5424 frames. */
    static final class Receiver implements AutoCloseable {
        final List<String> frames = new CopyOnWriteArrayList<>();
        final List<Socket> connections = new CopyOnWriteArrayList<>();
        final ServerSocket server;
        final Thread thread;

        Receiver(int port) throws IOException {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            thread = Thread.ofPlatform().daemon(true).start(this::accept);
        }

        private void accept() {
            while (!server.isClosed()) {
                try (Socket s = server.accept(); DataInputStream in = new DataInputStream(s.getInputStream())) {
                    connections.add(s);
                    while (true) {
                        StringBuilder len = new StringBuilder();
                        int c;
                        while ((c = in.read()) != ' ') {
                            if (c < 0) {
                                throw new IOException("closed");
                            }
                            len.append((char) c);
                        }
                        byte[] frame = new byte[Integer.parseInt(len.toString())];
                        in.readFully(frame);
                        frames.add(new String(frame, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    // next connection
                }
            }
        }

        List<String> auditIds() {
            return frames.stream().map(f -> {
                Matcher m = AUDIT_ID.matcher(f);
                return m.find() ? m.group(1) : "";
            }).toList();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : connections) {
                s.close();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void deliversEveryEventAfterAnOutageWithDuplicatesDetectableByAuditId() throws Exception {
        int port = freePort();
        try (ExportFixture fx = new ExportFixture(tmp);
             LogExporter exporter = new LogExporter(fx.config("siem-syslog", EventShape.KUBERNETES),
                     new SyslogSink("127.0.0.1", port, null, "gw-1", Duration.ofSeconds(2)), fx.log::size).start()) {
            fx.append(40);
            ExportFixture.await("delivery failing while the SIEM is down", () -> exporter.stats().failures() > 0);
            assertThat(exporter.stats().lag()).isEqualTo(40);

            try (Receiver receiver = new Receiver(port)) {
                fx.append(40);
                ExportFixture.await("all 80 delivered", () -> receiver.auditIds().containsAll(fx.auditIds));
                assertThat(receiver.frames.getFirst()).startsWith("<110>1 ")
                        .contains(" gw-1 gatehouse - audit [gatehouse@32473 seq=\"0\"")
                        .contains("{\"kind\":\"Event\"");
            }
            fx.append(20);
            Thread.sleep(300);
            try (Receiver again = new Receiver(port)) {
                ExportFixture.await("the 20 from the second outage delivered",
                        () -> again.auditIds().containsAll(fx.auditIds.subList(80, 100)));
                ExportFixture.await("lag back to zero", () -> exporter.stats().lag() == 0);
                assertThat(again.auditIds().stream().distinct().count()).isEqualTo(again.auditIds().stream()
                        .filter(id -> !id.isEmpty()).distinct().count());
            }
        }
    }
}
