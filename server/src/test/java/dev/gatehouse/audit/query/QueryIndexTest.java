package dev.gatehouse.audit.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.SystemEvents;
import dev.gatehouse.audit.TestEvents;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;

class QueryIndexTest {
    @TempDir
    Path tmp;
    Path dir;

    @BeforeEach
    void writeLog() throws Exception {
        dir = tmp.resolve("audit");
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir).withSegmentBytes(8192))) {
            for (int i = 0; i < 60; i++) {
                String user = i % 3 == 0 ? "alice" : "bob";
                log.append(TestEvents.request(user, i % 2 == 0 ? "prod" : "dev", i % 5 == 0 ? "delete" : "get",
                        "pods", "ns-" + (i % 4), "web-" + i, i % 10 == 0 ? 403 : 200,
                        Instant.parse("2026-03-01T00:00:00Z").plusSeconds(i * 60L))).get();
            }
            log.append(SystemEvents.of("approve", "reviews", "r-1", "approved",
                    Map.of("reviewId", "r-1"))).get();
        }
    }

    private static AuditQuery.Builder q() {
        return new AuditQuery.Builder();
    }

    @Test
    void filtersCombineAndEventsComeBackFromTheLog() throws Exception {
        try (QueryIndex index = QueryIndex.open(dir, QueryIndex.defaultFile(dir))) {
            assertThat(index.catchUp()).isEqualTo(61);
            List<AuditEvent> found = index.query(q().user("alice").cluster("prod").verb("delete").build());
            assertThat(found).extracting(e -> e.objectRef().name()).containsExactly("web-0", "web-30");
            assertThat(index.query(q().code(403).build())).hasSize(6);
            assertThat(index.query(q().group("developers").namespace("ns-1").build())).hasSize(15);
            assertThat(index.query(q().reviewId("r-1").build())).extracting(AuditEvent::verb).containsExactly("approve");
            assertThat(index.query(q().from(Instant.parse("2026-03-01T00:10:00Z"))
                    .to(Instant.parse("2026-03-01T00:20:00Z")).build())).hasSize(10);
            assertThat(index.query(q().limit(3).newestFirst().build()))
                    .extracting(e -> e.gatehouse().seq()).containsExactly(60L, 59L, 58L);
        }
    }

    @Test
    void lostOrStaleIndexIsRebuiltFromTheLog() throws Exception {
        Path db = QueryIndex.defaultFile(dir);
        try (QueryIndex index = QueryIndex.open(dir, db)) {
            index.catchUp();
        }
        Files.writeString(db, "garbage");
        Files.deleteIfExists(Path.of(db + "-wal"));
        try (QueryIndex index = QueryIndex.open(dir, db)) {
            assertThat(index.catchUp()).isEqualTo(61);
            assertThat(index.query(q().user("alice").build())).hasSize(20);
        }
    }

    @Test
    void catchUpIndexesOnlyNewEvents() throws Exception {
        try (QueryIndex index = QueryIndex.open(dir, QueryIndex.defaultFile(dir))) {
            index.catchUp();
            try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir))) {
                log.append(TestEvents.request("carol", "get", "secrets", "kube-system", 200)).get();
            }
            assertThat(index.catchUp()).isEqualTo(62);
            assertThat(index.query(q().user("carol").build())).extracting(AuditEvent::verb).containsExactly("get");
        }
    }
}
