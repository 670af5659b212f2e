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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
