package dev.gatehouse.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;

/**
 * Two replicas' own signed logs feeding one shared index: a query sees both; while PostgreSQL is unreachable the
 * logs take every event and the feed fails; after it is back each feed catches up from its position, nothing
 * lost and nothing twice.
 */
class SharedAuditIndexTest {
    @TempDir
    Path dir;
    PostgresTestDatabase database;
    SharedDatabase db;
    ChainedFileAuditLog logA;
    ChainedFileAuditLog logB;

    @BeforeEach
    void open() {
        database = PostgresTestDatabase.create();
        db = SharedDatabase.open(database.config());
        logA = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir.resolve("a")));
        logB = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir.resolve("b")));
    }

    @AfterEach
    void close() {
        logA.close();
        logB.close();
        db.close();
        database.close();
    }

    private static void append(ChainedFileAuditLog log, String auditId, String user) throws Exception {
        log.append(AuditEvent.builder().auditID(auditId).verb("get").requestURI("/api/v1/pods")
                .user(new AuditEvent.UserInfo(user, "uid-" + user, List.of("dev"), Map.of()))
                .receivedAt(Instant.now()).stageAt(Instant.now()).build()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aQuerySeesEveryReplicasEventsAndTheFeedCatchesUpAfterAnOutage() throws Exception {
        SharedAuditIndex a = new SharedAuditIndex(db, "replica-a", logA.directory(), logA::size);
        SharedAuditIndex b = new SharedAuditIndex(db, "replica-b", logB.directory(), logB::size);
        append(logA, "req-a1", "alice");
        append(logB, "req-b1", "bob");
        assertThat(a.feed()).isEqualTo(logA.size());
        assertThat(b.feed()).isEqualTo(logB.size());
        assertThat(a.query("req-b1", null, 10)).as("replica a's query sees replica b's event")
                .extracting(SharedAuditIndex.Hit::replicaId).containsExactly("replica-b");

        database.block();
        try {
            append(logA, "req-a2", "alice");
            append(logB, "req-b2", "bob");
            assertThatThrownBy(a::feed).as("the feed waits for PostgreSQL; the log did not")
                    .isInstanceOf(java.sql.SQLException.class);
        } finally {
            database.unblock();
        }
        // the production feeder runs periodically; right after the outage one run may meet a pooled connection
        // PostgreSQL ended, so the test, like the feeder, tries again (bounded)
        assertThat(feedAfterOutage(a)).isEqualTo(logA.size());
        assertThat(b.feed()).isEqualTo(logB.size());
        assertThat(a.feed()).as("a second feed adds nothing").isEqualTo(logA.size());

        assertThat(a.query("req-a2", null, 10)).hasSize(1);
        assertThat(b.query("req-b2", null, 10)).hasSize(1);
        assertThat(a.query(null, "alice", 100)).extracting(h -> h.event().auditID())
                .containsExactlyInAnyOrder("req-a1", "req-a2");
        long indexed = a.query(null, null, 10_000).size();
        assertThat(indexed).as("each log position once, both replicas").isEqualTo(logA.size() + logB.size());
    }

    private static long feedAfterOutage(SharedAuditIndex index) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                return index.feed();
            } catch (java.sql.SQLException e) {
                assertThat(System.nanoTime()).as("the feed catches up: %s", e.getMessage()).isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }
}
