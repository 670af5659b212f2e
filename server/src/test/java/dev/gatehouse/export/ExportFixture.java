package dev.gatehouse.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.TestEvents;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;

/** A live log to export from, and waiting helpers. */
public final class ExportFixture implements AutoCloseable {
    public final Path logDir;
    public final Path stateDir;
    public final ChainedFileAuditLog log;
    public final List<String> auditIds = new ArrayList<>();

    public ExportFixture(Path tmp) {
        logDir = tmp.resolve("audit");
        stateDir = tmp.resolve("export-state");
        log = ChainedFileAuditLog.open(FileAuditLogConfig.of(logDir).withSegmentBytes(16 * 1024));
    }

    public void append(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            AuditEvent e = TestEvents.request(i % 2 == 0 ? "alice" : "bob", "delete", "pods", "prod", 200);
            auditIds.add(e.auditID());
            log.append(e).get();
        }
    }

    public LogExporter.Config config(String name, EventShape shape) {
        return LogExporter.Config.of(name, logDir, stateDir, shape)
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, Duration.ofSeconds(20), condition);
    }

    public static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    @Override
    public void close() {
        log.close();
    }
}
