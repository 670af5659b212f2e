package dev.gatehouse.audit.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.TestEvents;
import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.verify.LogVerifier;
import dev.gatehouse.audit.verify.VerificationReport;

@Timeout(120)
class CrashRecoveryTest {
    @TempDir
    Path tmp;

    @Test
    void sigkillUnderLoadLeavesALogThatVerifiesAndHoldsEveryAcknowledgedEvent() throws Exception {
        Path dir = tmp.resolve("audit");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashingAppender.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Set<String> acked = new HashSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String first;
            do {
                first = out.readLine();
            } while (first != null && !first.equals("ready"));
            assertThat(first).as("the child started").isEqualTo("ready");
            // Kill once enough appends were acknowledged (bounded in time, so a slow machine cannot hang it).
            long killAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String line;
            while (acked.size() < 500 && System.nanoTime() < killAt && (line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    acked.add(line.substring(4));
                }
            }
            // SIGKILL while appends are in flight; acks still in the pipe are simply not counted
            child.destroyForcibly();
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(acked).hasSizeGreaterThan(100);

        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir))) {
            assertThat(log.health().writable()).as(log.health().problem()).isTrue();
            log.append(TestEvents.any()).get();
        }
        VerificationReport report = new LogVerifier(KeyDirectory.in(dir).publicKeys()).verify(dir);
        assertThat(report.findings()).isEmpty();
        try (Stream<AuditEvent> events = AuditLogReader.events(dir)) {
            Set<String> inLog = events.map(AuditEvent::auditID).collect(Collectors.toSet());
            assertThat(inLog).containsAll(acked);
        }
    }
}
