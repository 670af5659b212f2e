package dev.gatehouse.export.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.export.EventShape;
import dev.gatehouse.export.ExportFixture;
import dev.gatehouse.export.LogExporter;

@Timeout(60)
class JsonLinesFileSinkTest {
    @TempDir
    Path tmp;

    @Test
    void rotatesKeepsTheNewestFilesAndResumesFromItsCursorAfterARestart() throws Exception {
        Path out = tmp.resolve("siem");
        try (ExportFixture fx = new ExportFixture(tmp)) {
            fx.append(30);
            try (LogExporter exporter = new LogExporter(fx.config("files", EventShape.KUBERNETES),
                    new JsonLinesFileSink(out, "gatehouse-audit", 4096, 100), fx.log::size).start()) {
                ExportFixture.await("first 30", () -> exporter.stats().cursor() == 30);
            }
            fx.append(30);
            try (LogExporter exporter = new LogExporter(fx.config("files", EventShape.KUBERNETES),
                    new JsonLinesFileSink(out, "gatehouse-audit", 4096, 100), fx.log::size).start()) {
                ExportFixture.await("next 30", () -> exporter.stats().cursor() == 60);
                assertThat(exporter.stats().delivered()).isEqualTo(30);
            }
            List<String> ids = new ArrayList<>();
            try (Stream<Path> files = Files.list(out)) {
                List<Path> all = files.sorted((a, b) -> a.getFileName().toString().equals("gatehouse-audit.jsonl") ? 1
                        : b.getFileName().toString().equals("gatehouse-audit.jsonl") ? -1 : a.compareTo(b)).toList();
                assertThat(all).hasSizeGreaterThanOrEqualTo(2);
                for (Path f : all) {
                    for (String line : Files.readAllLines(f)) {
                        ids.add(AuditEventJson.parse(line).auditID());
                    }
                }
            }
            assertThat(ids).containsExactlyElementsOf(fx.auditIds);
        }
    }

    @Test
    void retentionDeletesTheOldestRotatedFiles() throws Exception {
        Path out = tmp.resolve("siem");
        try (ExportFixture fx = new ExportFixture(tmp);
             LogExporter exporter = new LogExporter(fx.config("files", EventShape.KUBERNETES),
                     new JsonLinesFileSink(out, "gatehouse-audit", 2048, 2), fx.log::size).start()) {
            for (int i = 0; i < 10; i++) {
                fx.append(5);
                int expected = 5 * (i + 1);
                ExportFixture.await("batch " + i, () -> exporter.stats().cursor() == expected);
            }
            try (Stream<Path> files = Files.list(out)) {
                assertThat(files.filter(f -> !f.getFileName().toString().endsWith(".cursor")).count()).isEqualTo(3);
            }
            AuditEvent last = AuditEventJson.parse(Files.readAllLines(out.resolve("gatehouse-audit.jsonl")).getLast());
            assertThat(last.auditID()).isEqualTo(fx.auditIds.getLast());
        }
    }
}
