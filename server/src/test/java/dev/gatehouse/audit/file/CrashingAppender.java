package dev.gatehouse.audit.file;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.TestEvents;

/**
 * Run in a child JVM by {@link CrashRecoveryTest}: appends from several threads as fast as it can and prints
 * {@code ack <auditID>} for each event once it is durable, the way the gateway answers a client, until killed.
 */
public final class CrashingAppender {
    private CrashingAppender() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir).withSegmentBytes(256 * 1024)
                .withCheckpointInterval(Duration.ofMillis(20)));
        out.println("ready");
        for (int t = 0; t < 8; t++) {
            Thread.ofPlatform().start(() -> {
                while (true) {
                    AuditEvent e = TestEvents.any();
                    try {
                        log.append(e).get();
                        synchronized (out) {
                            out.println("ack " + e.auditID());
                        }
                    } catch (Exception ex) {
                        synchronized (out) {
                            out.println("fail " + ex.getMessage());
                        }
                    }
                }
            });
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
