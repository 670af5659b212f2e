package dev.gatehouse.audit.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.file.AuditLogReader;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;
import dev.gatehouse.audit.verify.Finding;
import dev.gatehouse.audit.verify.LogVerifier;
import dev.gatehouse.audit.verify.VerificationReport;

/**
 * The real gateway, killed with SIGKILL while clients send reads and writes: after restart the log verifies and
 * holds a completed event for every request whose client got a whole response.
 */
@Timeout(180)
class GatewayCrashTest {
    @TempDir
    Path tmp;

    @Test
    void sigkillUnderLoadLosesNoAnsweredRequest() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                CrashingGateway.class.getName(), tmp.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Map<String, Integer> answered = new ConcurrentHashMap<>();
        try {
            String[] ready = awaitReady(child.getInputStream());
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(trusting(Path.of(ready[2]))).connectTimeout(Duration.ofSeconds(5)).build();
            String base = "https://127.0.0.1:" + ready[1] + "/clusters/fake/api/v1/namespaces/default/";
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> load = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                boolean writer = i % 4 == 0;
                load.add(Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        send(client, base, writer, answered);
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (answered.size() < 200 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            child.destroyForcibly();
            running.set(false);
            for (Thread t : load) {
                t.join(10_000);
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(answered).as("requests answered before the kill").hasSizeGreaterThanOrEqualTo(200);

        Path auditDir = tmp.resolve("data").resolve("audit");
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(auditDir))) {
            assertThat(log.health().writable()).as(log.health().problem()).isTrue();
        }
        VerificationReport report = new LogVerifier(KeyDirectory.in(auditDir).publicKeys()).verify(auditDir);
        assertThat(report.findings()).isEmpty();
        Set<String> completed;
        try (Stream<AuditEvent> events = AuditLogReader.events(auditDir)) {
            completed = events.filter(e -> AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage()))
                    .map(AuditEvent::auditID).collect(Collectors.toSet());
        }
        assertThat(completed).containsAll(answered.keySet());
    }

    /** The signing bound the log documents and this test holds it to: every event signed within 1 s of commit. */
    private static final Duration SIGNING_BOUND = Duration.ofSeconds(1);

    /**
     * Several rounds on one data directory: start the gateway, load it, SIGKILL it at a random moment. After each
     * kill, before anything reopens the log: it verifies; every answered request has its event; the events no
     * signature covers are named and are all younger than the signing bound; a byte changed in a signed event is
     * detected (and the log verifies again once it is put back). Each restart records the recovery as a signed
     * event naming the killed process, the unsigned range and whether the tail was cut.
     */
    @Test
    void repeatedSigkillsAtRandomMomentsLeaveOnlyARecentUnsignedTailAndEachRestartRecordsTheRecovery()
            throws Exception {
        Random random = new Random();
        Path auditDir = tmp.resolve("data").resolve("audit");
        Map<String, Integer> answered = new ConcurrentHashMap<>();
        List<long[]> crashes = new ArrayList<>(); // {pid, log end, signed size, unsigned events}
        long worstUnsignedAgeMillis = 0;
        for (int round = 0; round < 4; round++) {
            Process child = startGateway();
            Instant killedAt;
            try {
                String[] ready = awaitReady(child.getInputStream());
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .sslContext(trusting(Path.of(ready[2]))).connectTimeout(Duration.ofSeconds(5)).build();
                String base = "https://127.0.0.1:" + ready[1] + "/clusters/fake/api/v1/namespaces/default/";
                AtomicBoolean running = new AtomicBoolean(true);
                List<Thread> load = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    boolean writer = i % 4 == 0;
                    load.add(Thread.ofVirtual().start(() -> {
                        while (running.get()) {
                            send(client, base, writer, answered);
                        }
                    }));
                }
                int before = answered.size();
                long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (answered.size() < before + 100 && System.nanoTime() < warm) {
                    Thread.sleep(10);
                }
                assertThat(answered.size()).as("round %d: the gateway answers", round).isGreaterThan(before);
                Thread.sleep(random.nextInt(2_000)); // a random moment under load
                killedAt = Instant.now();
                child.destroyForcibly();
                running.set(false);
                for (Thread t : load) {
                    t.join(10_000);
                }
            } finally {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }

            VerificationReport report = new LogVerifier(KeyDirectory.in(auditDir).publicKeys()).verify(auditDir);
            assertThat(report.findings()).as("round " + round).isEmpty();
            List<AuditEvent> events;
            try (Stream<AuditEvent> all = AuditLogReader.events(auditDir)) {
                events = all.toList();
            }
            assertThat(events).hasSize((int) report.events());
            assertThat(events.stream().filter(e -> AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage()))
                    .map(AuditEvent::auditID).collect(Collectors.toSet()))
                    .as("round " + round + ": every answered request has its event").containsAll(answered.keySet());
            long signed = Math.max(report.signedSize(), 0);
            assertThat(report.unsignedEvents()).isEqualTo(events.size() - signed);
            if (report.unsignedEvents() > 0) {
                assertThat(report.unsignedFrom()).isEqualTo(signed);
                assertThat(report.unsignedTo()).isEqualTo(events.size() - 1);
            } else {
                assertThat(report.unsignedFrom()).isEqualTo(-1);
            }
            for (int p = (int) signed; p < events.size(); p++) {
                Instant at = Instant.parse(events.get(p).stageTimestamp());
                long age = Duration.between(at, killedAt).toMillis();
                worstUnsignedAgeMillis = Math.max(worstUnsignedAgeMillis, age);
                assertThat(at).as("round %d: unsigned event %d is younger than the signing bound", round, p)
                        .isAfter(killedAt.minus(SIGNING_BOUND));
            }
            if (round > 0) {
                long[] previous = crashes.getLast();
                AuditEvent recovered = events.get((int) previous[1]);
                assertThat(recovered.verb()).as("round %d: the restart's first event", round).isEqualTo("recover");
                assertThat(recovered.gatehouse().details())
                        .containsEntry("uncleanStop", "true")
                        .containsEntry("previousHolder", "pid " + previous[0])
                        .containsEntry("position", Long.toString(previous[1]))
                        .containsEntry("lastSignedSize", Long.toString(previous[2]))
                        .containsEntry("unsignedEvents", Long.toString(previous[3]))
                        .containsEntry("tailCut", "false");
                if (previous[3] > 0) {
                    assertThat(recovered.gatehouse().details()).containsEntry("unsignedLeavesDiffering", "")
                            .containsEntry("unsignedFrom", Long.toString(previous[2]))
                            .containsEntry("unsignedTo", Long.toString(previous[1] - 1));
                }
                assertThat(signed).as("round %d: the recovery event is signed", round).isGreaterThan(previous[1]);
            }
            crashes.add(new long[] {child.pid(), events.size(), signed, report.unsignedEvents()});
            System.out.printf("round %d: %d events, signed through %d, %d answered so far%n", round, events.size(),
                    signed, answered.size());
            assertThat(signed).as("round %d: something was signed", round).isPositive();
            tamperWithASignedEventIsDetected(auditDir, (int) (random.nextLong(signed)));
        }
        System.out.printf("signing bound: the oldest unsigned event at a kill was %d ms old (bound %d ms); "
                + "unsigned events at the kills: %s%n", worstUnsignedAgeMillis, SIGNING_BOUND.toMillis(),
                crashes.stream().map(c -> Long.toString(c[3])).collect(Collectors.joining(", ")));

        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(auditDir))) {
            assertThat(log.health().writable()).as(log.health().problem()).isTrue();
        }
        VerificationReport last = new LogVerifier(KeyDirectory.in(auditDir).publicKeys()).verify(auditDir);
        assertThat(last.findings()).isEmpty();
        assertThat(last.covered()).as("after a clean close every event is signed").isTrue();
    }

    /** Changes one character of the event at {@code position}: verify must report it; then puts it back. */
    private static void tamperWithASignedEventIsDetected(Path auditDir, int position) throws Exception {
        Path segment = null;
        for (var s : dev.gatehouse.audit.file.Segment.list(auditDir)) {
            if (s.firstSeq() <= position) {
                segment = s.path();
            }
        }
        byte[] original = Files.readAllBytes(segment);
        String text = new String(original, StandardCharsets.UTF_8);
        String seq = "\"seq\":" + position + ",";
        int at = text.indexOf(seq);
        if (at < 0) {
            seq = "\"seq\":" + position + "}";
            at = text.indexOf(seq);
        }
        assertThat(at).as("event " + position + " in " + segment).isNotNegative();
        int lineStart = text.lastIndexOf('\n', at) + 1;
        int id = text.indexOf("\"auditID\":\"", lineStart) + "\"auditID\":\"".length();
        byte[] changed = original.clone();
        changed[id] = (byte) (changed[id] == 'a' ? 'b' : 'a');
        Files.write(segment, changed);
        try {
            VerificationReport report = new LogVerifier(KeyDirectory.in(auditDir).publicKeys()).verify(auditDir);
            assertThat(report.findings()).as("a changed byte in signed event " + position).isNotEmpty();
            assertThat(report.firstBad().orElseThrow().kind()).isEqualTo(Finding.Kind.MODIFIED);
            assertThat(report.firstBad().orElseThrow().position()).isLessThanOrEqualTo(position);
        } finally {
            Files.write(segment, original);
        }
        assertThat(new LogVerifier(KeyDirectory.in(auditDir).publicKeys()).verify(auditDir).findings()).isEmpty();
    }

    private Process startGateway() throws java.io.IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                CrashingGateway.class.getName(), tmp.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void send(HttpClient client, String base, boolean writer, Map<String, Integer> answered) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + (writer ? "configmaps" : "pods")))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + CrashingGateway.CLIENT_TOKEN);
        if (writer) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}"));
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() < 300) {
                response.headers().firstValue("Audit-ID").ifPresent(id -> answered.put(id, response.statusCode()));
            }
        } catch (Exception e) {
            // the gateway died mid-request: the client got no answer
        }
    }

    private static String[] awaitReady(InputStream stdout) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("ready ")) {
                Thread.ofVirtual().start(() -> drain(out));
                return line.split(" ");
            }
        }
        throw new AssertionError("the gateway did not start");
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // keep the child's stdout flowing
            }
        } catch (Exception ignored) {
            // the child was killed
        }
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }
}
