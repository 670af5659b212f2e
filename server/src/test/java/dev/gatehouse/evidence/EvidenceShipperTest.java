package dev.gatehouse.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.Segment;
import dev.gatehouse.audit.retention.RetentionEnforcer;
import dev.gatehouse.audit.retention.RetentionPolicy;

/** Shipping to a real S3 API server (s3proxy on loopback). */
@Timeout(120)
class EvidenceShipperTest {
    @TempDir
    Path tmp;

    private S3ProxyServer server;
    private Path dataDir;

    @BeforeEach
    void start() throws Exception {
        server = S3ProxyServer.start(tmp.resolve("s3"), EvidenceFixture.BUCKET);
        dataDir = tmp.resolve("data");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private List<StoreVerifier.ReplicaReport> verifyStore(ObjectStoreConfig config) throws Exception {
        try (S3ObjectStore store = S3ObjectStore.open(config)) {
            return new StoreVerifier(store, config.keyPrefix()).verify(null, Files.createTempDirectory(tmp, "v"));
        }
    }

    @Test
    void shipsSealedSegmentsCheckpointsKeysAndRecordingsThatVerifyFromTheStore() throws Exception {
        ObjectStoreConfig config = EvidenceFixture.config(server, tmp, "replica-a", null);
        try (ChainedFileAuditLog log = EvidenceFixture.openLog(dataDir);
             EvidenceShipper shipper = EvidenceFixture.shipper(config, dataDir)) {
            EvidenceFixture.append(log, 30);
            String session = EvidenceFixture.recordSession(log, dataDir);
            EvidenceFixture.append(log, 30);
            EvidenceFixture.signed(log);
            shipper.shipPass();

            assertThat(shipper.status().unshippedObjects()).isZero();
            assertThat(shipper.status().lastError()).isNull();
            List<String> keys;
            try (S3ObjectStore store = S3ObjectStore.open(config)) {
                keys = store.list("gatehouse/prod/").stream().map(ObjectStore.Stored::key).toList();
            }
            List<Segment> local = Segment.list(dataDir.resolve("audit"));
            assertThat(keys).contains("gatehouse/prod/replica-a/audit/" + local.getFirst().path().getFileName(),
                    "gatehouse/prod/replica-a/sessions/" + session + ".raw",
                    "gatehouse/prod/replica-a/sessions/" + session + ".cast",
                    "gatehouse/prod/replica-a/sessions/" + session + ".json");
            assertThat(keys).as("the live segment is not shipped")
                    .doesNotContain("gatehouse/prod/replica-a/audit/" + local.getLast().path().getFileName());
            assertThat(keys).anyMatch(k -> k.startsWith("gatehouse/prod/replica-a/keys/ed25519-"));

            List<StoreVerifier.ReplicaReport> reports = verifyStore(config);
            assertThat(reports).hasSize(1);
            StoreVerifier.ReplicaReport r = reports.getFirst();
            assertThat(r.report().findings()).isEmpty();
            assertThat(r.ok()).isTrue();
            assertThat(r.report().events()).isEqualTo(local.getLast().firstSeq());
            assertThat(r.recordings()).isEqualTo(1);
        }
    }

    @Test
    void evidenceWaitsLocallyWhileTheStoreIsDownAndShipsWhenItIsBack() throws Exception {
        ObjectStoreConfig config = EvidenceFixture.config(server, tmp, "replica-a", null);
        try (ChainedFileAuditLog log = EvidenceFixture.openLog(dataDir);
             EvidenceShipper shipper = EvidenceFixture.shipper(config, dataDir)) {
            EvidenceFixture.append(log, 40);
            EvidenceFixture.signed(log);
            server.stop();

            assertThatThrownBy(shipper::shipPass).isInstanceOf(IOException.class)
                    .hasMessageContaining("s3://evidence/gatehouse/prod/replica-a/");
            EvidenceShipper.Status behind = shipper.status();
            assertThat(behind.unshippedObjects()).isGreaterThanOrEqualTo(3);
            assertThat(behind.unshippedBytes()).isGreaterThan(4096);
            assertThat(behind.oldest()).isNotNull();

            // retention must not delete what is not shipped, however old
            Instant later = Instant.now().plus(Duration.ofDays(400));
            RetentionEnforcer retention = new RetentionEnforcer(log, dataDir.resolve("audit"),
                    RetentionPolicy.common(null), Clock.fixed(later, ZoneOffset.UTC), shipper::shipped);
            List<Segment> before = Segment.list(dataDir.resolve("audit"));
            assertThat(retention.run().deletedLive()).isEmpty();
            assertThat(Segment.list(dataDir.resolve("audit"))).isEqualTo(before);

            server.start();
            shipper.shipPass();
            assertThat(shipper.status().unshippedObjects()).isZero();
            assertThat(verifyStore(config).getFirst().ok()).isTrue();

            // once shipped, retention may delete them (all but the newest, from a signed position)
            assertThat(retention.run().deletedLive()).isNotEmpty();
        }
    }

    @Test
    void theBackgroundThreadRetriesWithBackoffAndCatchesUp() throws Exception {
        ObjectStoreConfig config = EvidenceFixture.config(server, tmp, "replica-a", null);
        try (ChainedFileAuditLog log = EvidenceFixture.openLog(dataDir)) {
            server.stop();
            try (EvidenceShipper shipper = EvidenceFixture.shipper(config, dataDir).start()) {
                EvidenceFixture.append(log, 40);
                EvidenceFixture.signed(log);
                waitFor(() -> shipper.status().failures() >= 2, "two failed attempts");
                assertThat(shipper.status().lastError()).contains("s3://evidence/");
                assertThat(shipper.status().unshippedObjects()).isPositive();
                server.start();
                waitFor(() -> shipper.status().unshippedObjects() == 0 && shipper.status().lastError() == null,
                        "caught up after the store came back");
            }
        }
        assertThat(verifyStore(config).getFirst().ok()).isTrue();
    }

    @Test
    void resumesAfterARestartFromItsCursorAndNeverShipsAnObjectTwiceDifferently() throws Exception {
        ObjectStoreConfig config = EvidenceFixture.config(server, tmp, null, null);
        String prefix;
        try (ChainedFileAuditLog log = EvidenceFixture.openLog(dataDir)) {
            try (EvidenceShipper first = EvidenceFixture.shipper(config, dataDir)) {
                EvidenceFixture.append(log, 30);
                EvidenceFixture.signed(log);
                first.shipPass();
                prefix = first.replicaPrefix();
                assertThat(first.status().shippedObjects()).isPositive();
            }
            EvidenceFixture.append(log, 30);
            EvidenceFixture.signed(log);
            // a gateway restart: a new shipper over the same data directory
            try (EvidenceShipper second = EvidenceFixture.shipper(config, dataDir)) {
                assertThat(second.replicaPrefix()).as("the replica name is fixed at the first start")
                        .isEqualTo(prefix);
                second.shipPass();
                long shippedAfterRestart = second.status().shippedObjects();
                assertThat(shippedAfterRestart).isPositive();
                long total = Files.readAllLines(dataDir.resolve("evidence/shipped.jsonl")).size();
                assertThat(Files.readAllLines(dataDir.resolve("evidence/shipped.jsonl")).stream().distinct().count())
                        .as("each object recorded once").isEqualTo(total);
            }
            // a lost cursor: everything is found in the store with the same bytes and recorded, nothing rewritten
            Files.delete(dataDir.resolve("evidence/shipped.jsonl"));
            try (EvidenceShipper third = EvidenceFixture.shipper(config, dataDir)) {
                third.shipPass();
                assertThat(third.status().unshippedObjects()).isZero();
            }
        }
        assertThat(prefix).matches("gatehouse/prod/[0-9a-f]+/").as("named after the log's first key id");
        assertThat(verifyStore(config).getFirst().ok()).isTrue();
    }

    @Test
    void neverOverwritesAnObjectHoldingDifferentBytes() throws Exception {
        ObjectStoreConfig config = EvidenceFixture.config(server, tmp, "replica-a", null);
        try (ChainedFileAuditLog log = EvidenceFixture.openLog(dataDir);
             EvidenceShipper shipper = EvidenceFixture.shipper(config, dataDir);
             S3ObjectStore store = S3ObjectStore.open(config)) {
            EvidenceFixture.append(log, 30);
            EvidenceFixture.signed(log);
            String key = "gatehouse/prod/replica-a/audit/" + Segment.fileName(0);
            Path other = Files.writeString(tmp.resolve("other"), "another replica's segment\n");
            String otherSha = HexFormat.of().formatHex(S3ObjectStore.digest("SHA-256", Files.readAllBytes(other)));
            store.put(key, other, otherSha);

            assertThatThrownBy(shipper::shipPass).isInstanceOf(IOException.class)
                    .hasMessageContaining(key.substring("gatehouse/prod/".length()))
                    .hasMessageContaining("already holds different bytes");
            assertThat(new String(store.get(key))).isEqualTo("another replica's segment\n");
            assertThat(shipper.shipped(Segment.in(dataDir.resolve("audit"), 0),
                    Segment.list(dataDir.resolve("audit")).get(1).firstSeq())).isFalse();
        }
    }

    @Test
    void objectLockOnAStoreThatKeepsNoRetentionIsAClearErrorAndNothingCountsAsShipped() throws Exception {
        ObjectStoreConfig config = EvidenceFixture.config(server, tmp, "replica-a",
                new ObjectStoreConfig.ObjectLock("COMPLIANCE", 365));
        try (ChainedFileAuditLog log = EvidenceFixture.openLog(dataDir);
             EvidenceShipper shipper = EvidenceFixture.shipper(config, dataDir)) {
            EvidenceFixture.append(log, 30);
            EvidenceFixture.signed(log);
            assertThatThrownBy(shipper::shipPass).isInstanceOf(IOException.class)
                    .hasMessageContaining("objectLock");
            assertThat(shipper.status().shippedObjects()).isZero();
            assertThat(shipper.status().unshippedObjects()).isPositive();
        }
    }

    @Test
    void aReplicaNameThatChangesForTheSameDataDirectoryIsRefused() throws Exception {
        ObjectStoreConfig a = EvidenceFixture.config(server, tmp, "replica-a", null);
        ObjectStoreConfig b = EvidenceFixture.config(server, tmp, "replica-b", null);
        try (ChainedFileAuditLog log = EvidenceFixture.openLog(dataDir)) {
            EvidenceFixture.shipper(a, dataDir).close();
            assertThatThrownBy(() -> EvidenceFixture.shipper(b, dataDir)).isInstanceOf(IOException.class)
                    .hasMessageContaining("evidence.objectStore.replica: \"replica-b\"")
                    .hasMessageContaining("\"replica-a\"");
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
