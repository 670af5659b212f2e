package dev.gatehouse.audit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.TestEvents;
import dev.gatehouse.audit.checkpoint.CheckpointLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;
import dev.gatehouse.export.EventShape;
import dev.gatehouse.export.ExportFixture;
import dev.gatehouse.export.LogExporter;
import dev.gatehouse.export.file.JsonLinesFileSink;

class AuditServicesTest {
    @TempDir
    Path tmp;

    @Test
    void runsTheLogVerifierAndExportersTogetherAndSignsOnClose() throws Exception {
        Path dir = tmp.resolve("audit");
        FileAuditLogConfig config = FileAuditLogConfig.of(dir).withCheckpointInterval(Duration.ofMillis(10));
        AuditServices.Exporter toFile = new AuditServices.Exporter(
                LogExporter.Config.of("file", dir, tmp.resolve("state"), EventShape.KUBERNETES),
                new JsonLinesFileSink(tmp.resolve("siem"), "audit", 1 << 20, 3));
        AuditServices services = AuditServices.start(config, null, List.of(toFile), Duration.ofMillis(50));
        for (int i = 0; i < 10; i++) {
            services.log().append(TestEvents.any()).get();
        }
        ExportFixture.await("exported", () -> services.exporters().getFirst().cursor() == 10);
        ExportFixture.await("verified", () -> services.integrity().verifiedSize() == 10);
        assertThat(services.integrity().ok()).isTrue();
        services.close();

        assertThat(CheckpointLog.last(dir).treeSize()).isEqualTo(10);
        assertThat(Files.readAllLines(tmp.resolve("siem").resolve("audit.jsonl"))).hasSize(10);
    }
}
