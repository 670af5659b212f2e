package dev.gatehouse.audit.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.SystemEvents;
import dev.gatehouse.audit.TestEvents;

class TailRecoveryTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"{\"kind\":\"Event\",\"apiVer", "\u0000\u0000\u0000\u0000\n", "{\"not\":\"an event\"}\n"})
    void cutsATornTailKeepsItAsideAndRecordsTheCut(String torn) throws Exception {
        Path dir = tmp.resolve("audit");
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir))) {
            for (int i = 0; i < 3; i++) {
                log.append(TestEvents.any()).get();
            }
        }
        Path segment = dir.resolve(Segment.fileName(0));
        Files.write(segment, torn.getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir))) {
            assertThat(log.append(TestEvents.any()).get()).isEqualTo(4);
        }
        try (Stream<AuditEvent> events = AuditLogReader.events(dir)) {
            List<AuditEvent> all = events.toList();
            assertThat(all).extracting(e -> e.gatehouse().seq()).containsExactly(0L, 1L, 2L, 3L, 4L);
            AuditEvent cut = all.get(3);
            assertThat(cut.gatehouse().type()).isEqualTo(SystemEvents.TYPE);
            assertThat(cut.verb()).isEqualTo("recover");
            assertThat(cut.gatehouse().details()).containsEntry("cutBytes", Integer.toString(torn.length()));
        }
        try (Stream<Path> files = Files.list(dir)) {
            Path kept = files.filter(f -> f.getFileName().toString().contains(".torn-")).findFirst().orElseThrow();
            assertThat(Files.readString(kept)).isEqualTo(torn);
        }
    }

    @Test
    void leavesAnIntactLogAlone() throws Exception {
        Path dir = tmp.resolve("audit");
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir))) {
            log.append(TestEvents.any()).get();
        }
        TailRecovery.Result result = TailRecovery.recover(Segment.list(dir).getFirst());
        assertThat(result.cutBytes()).isZero();
        assertThat(result.nextSeq()).isEqualTo(1);
    }
}
