package dev.gatehouse.audit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.file.FileAuditLogConfig;
import dev.gatehouse.evidence.EvidenceFixture;
import dev.gatehouse.evidence.EvidenceShipper;
import dev.gatehouse.evidence.ObjectStoreConfig;
import dev.gatehouse.evidence.S3ObjectStore;
import dev.gatehouse.evidence.S3ProxyServer;
import dev.gatehouse.evidence.StoreVerifier;
import dev.gatehouse.metrics.GatewayMetrics;

/**
 * The gateway's audit services with shipping on, against a real S3 API server (s3proxy): the shipper starts with
 * the log, the metrics and the health problem say how far behind it is while the store is down, it catches up
 * when the store is back, and after a restart of the services (a gateway restart) it continues the same log.
 */
@Timeout(180)
class AuditServicesShippingTest {
    @TempDir
    Path tmp;

    private static AuditServices start(Path dataDir, ObjectStoreConfig config) {
        Path logDir = dataDir.resolve("audit");
        return AuditServices.start(FileAuditLogConfig.of(logDir).withSegmentBytes(4096), null, List.of(),
                Duration.ofHours(1), () -> EvidenceShipper.open(S3ObjectStore.open(config), config, dataDir, logDir,
                        Clock.systemUTC()));
    }

    @Test
    void shipsInTheBackgroundReportsLagWhileTheStoreIsDownAndContinuesAfterARestart() throws Exception {
        Path dataDir = tmp.resolve("data");
        try (S3ProxyServer server = S3ProxyServer.start(tmp.resolve("s3"), EvidenceFixture.BUCKET)) {
            ObjectStoreConfig base = EvidenceFixture.config(server, tmp, "gw-0", null);
            ObjectStoreConfig config = new ObjectStoreConfig(base.bucket(), base.prefix(), base.endpoint(),
                    base.region(), base.credentials(), null, "gw-0", Duration.ofMillis(200), Duration.ofMillis(1));
            server.stop();
            try (AuditServices services = start(dataDir, config)) {
                GatewayMetrics metrics = new GatewayMetrics(services.log());
                metrics.watch(services);
                EvidenceFixture.append(services.log(), 40);
                EvidenceFixture.signed(services.log());
                waitFor(() -> services.shipper().status().failures() >= 1
                        && services.shipper().status().unshippedObjects() > 0, "a failed attempt with evidence waiting");
                Thread.sleep(5);
                assertThat(services.shipper().problem()).startsWith("evidence shipping to s3://evidence/gatehouse/prod "
                        + "is behind: ").contains("last error: ");
                String scrape = metrics.registry().scrape();
                assertThat(scrape).containsPattern("gatehouse_evidence_unshipped_objects [1-9]")
                        .containsPattern("gatehouse_evidence_unshipped_bytes [1-9]")
                        .containsPattern("gatehouse_evidence_ship_failures_total [1-9]")
                        .contains("gatehouse_evidence_unshipped_oldest_seconds");

                server.start();
                waitFor(() -> services.shipper().status().unshippedObjects() == 0, "caught up");
                assertThat(services.shipper().problem()).isEmpty();
            }
            try (AuditServices restarted = start(dataDir, config)) {
                EvidenceFixture.append(restarted.log(), 40);
                EvidenceFixture.signed(restarted.log());
                waitFor(() -> restarted.shipper().status().shippedObjects() > 0
                        && restarted.shipper().status().unshippedObjects() == 0, "the restarted gateway shipped more");
            }
            try (S3ObjectStore store = S3ObjectStore.open(config)) {
                List<StoreVerifier.ReplicaReport> reports = new StoreVerifier(store, config.keyPrefix())
                        .verify(null, Files.createTempDirectory(tmp, "v"));
                assertThat(reports).singleElement().satisfies(r -> {
                    assertThat(r.replica()).isEqualTo("gw-0");
                    assertThat(r.report().findings()).isEmpty();
                    assertThat(r.report().events()).isGreaterThan(40);
                });
            }
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
