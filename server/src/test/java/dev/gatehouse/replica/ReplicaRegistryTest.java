package dev.gatehouse.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaRegistryTest {
    @TempDir
    Path dir;
    PostgresTestDatabase database;
    SharedDatabase db;

    @BeforeEach
    void open() {
        database = PostgresTestDatabase.create();
        db = SharedDatabase.open(database.config());
    }

    @AfterEach
    void close() {
        db.close();
        database.close();
    }

    @Test
    void aSecondReplicaWithTheSameSigningKeyIsRefusedNamingTheFirst() {
        try (ReplicaRegistry first = ReplicaRegistry.register(db, dir.resolve("a"), "key-1", Clock.systemUTC())) {
            assertThatThrownBy(() -> ReplicaRegistry.register(db, dir.resolve("b"), "key-1", Clock.systemUTC()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("signing key key-1 is registered to replica " + first.replicaId())
                    .hasMessageContaining(dir.resolve("a").toString());
        }
    }

    @Test
    void theSameReplicaRestartingOnItsHostTakesItsKeyBackAtOnce() {
        ReplicaRegistry first = ReplicaRegistry.register(db, dir.resolve("a"), "key-2", Clock.systemUTC());
        String id = first.replicaId();
        // a crash: no clean close, the heartbeat is fresh; the audit log's directory lock proved the run ended
        try (ReplicaRegistry again = ReplicaRegistry.register(db, dir.resolve("a"), "key-2", Clock.systemUTC())) {
            assertThat(again.replicaId()).isEqualTo(id);
        } finally {
            first.close();
        }
        try (ReplicaRegistry other = ReplicaRegistry.register(db, dir.resolve("a"), "key-3", Clock.systemUTC())) {
            assertThat(other.replicaId()).as("a rotated key of the same replica").isEqualTo(id);
        }
    }

    @Test
    void aCopyOfAReplicaRunningOnAnotherHostIsRefusedUntilItsLeaseRunsOut() {
        String id;
        try (ReplicaRegistry first = ReplicaRegistry.register(db, dir.resolve("a"), "key-4", Clock.systemUTC())) {
            id = first.replicaId();
        }
        database.execute("UPDATE gatehouse.replicas SET host = 'elsewhere', seen = "
                + System.currentTimeMillis() + " WHERE key_id = 'key-4'");
        assertThatThrownBy(() -> ReplicaRegistry.register(db, dir.resolve("a"), "key-4", Clock.systemUTC()))
                .hasMessageContaining("replica " + id + " (signing key key-4) is running on host elsewhere");
        database.execute("UPDATE gatehouse.replicas SET seen = " + (System.currentTimeMillis()
                - ReplicaRegistry.LEASE.toMillis() - 1000) + " WHERE key_id = 'key-4'");
        ReplicaRegistry.register(db, dir.resolve("a"), "key-4", Clock.systemUTC()).close();
    }

    @Test
    void aTamperedReplicaIdFileIsRefused() throws Exception {
        Files.createDirectories(dir.resolve("c"));
        Files.writeString(dir.resolve("c").resolve(ReplicaRegistry.ID_FILE), "../../etc/passwd\n");
        assertThatThrownBy(() -> ReplicaRegistry.register(db, dir.resolve("c"), "key-5", Clock.systemUTC()))
                .hasMessageContaining("expected: 32 hex digits");
    }
}
