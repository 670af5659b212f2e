package dev.gatehouse.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.checkpoint.PublicKeys;
import dev.gatehouse.audit.checkpoint.SigningKey;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.Segment;
import dev.gatehouse.audit.verify.Finding;

/**
 * {@code audit verify --store}: two replicas ship to a real S3 API server (s3proxy); each hostile change to the
 * store is caught.
 */
@Timeout(120)
class StoreVerifierTest {
    @TempDir
    Path tmp;

    private S3ProxyServer server;
    private ObjectStoreConfig configA;
    private S3ObjectStore store;
    private String session;
    private List<Segment> shippedA;

    @BeforeEach
    void shipTwoReplicas() throws Exception {
        server = S3ProxyServer.start(tmp.resolve("s3"), EvidenceFixture.BUCKET);
        configA = EvidenceFixture.config(server, tmp, "replica-a", null);
        ObjectStoreConfig configB = EvidenceFixture.config(server, tmp, "replica-b", null);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        try (ChainedFileAuditLog logA = EvidenceFixture.openLog(a);
             ChainedFileAuditLog logB = EvidenceFixture.openLog(b);
             EvidenceShipper shipA = EvidenceFixture.shipper(configA, a);
             EvidenceShipper shipB = EvidenceFixture.shipper(configB, b)) {
            EvidenceFixture.append(logA, 40);
            session = EvidenceFixture.recordSession(logA, a);
            EvidenceFixture.append(logA, 40);
            EvidenceFixture.append(logB, 50);
            EvidenceFixture.signed(logA);
            EvidenceFixture.signed(logB);
            shipA.shipPass();
            shipB.shipPass();
            List<Segment> all = Segment.list(a.resolve("audit"));
            shippedA = all.subList(0, all.size() - 1);
        }
        store = S3ObjectStore.open(configA);
        assertThat(shippedA).as("enough sealed segments for the cases").hasSizeGreaterThanOrEqualTo(4);
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        server.close();
    }

    private List<StoreVerifier.ReplicaReport> verify(PublicKeys trusted) throws Exception {
        return new StoreVerifier(store, configA.keyPrefix()).verify(trusted, Files.createTempDirectory(tmp, "v"));
    }

    private StoreVerifier.ReplicaReport replicaA() throws Exception {
        return verify(null).stream().filter(r -> r.replica().equals("replica-a")).findFirst().orElseThrow();
    }

    private String key(String rest) {
        return "gatehouse/prod/replica-a/" + rest;
    }

    private String segmentKey(int i) {
        return key("audit/" + shippedA.get(i).path().getFileName());
    }

    private void overwrite(String key, byte[] bytes) throws Exception {
        Path f = Files.write(Files.createTempFile(tmp, "o", ""), bytes);
        store.put(key, f, HexFormat.of().formatHex(S3ObjectStore.digest("SHA-256", bytes)));
    }

    private void delete(String key) throws Exception {
        Path file = server.root().resolve(EvidenceFixture.BUCKET).resolve(key);
        assertThat(Files.deleteIfExists(file)).as("deleted " + key).isTrue();
    }

    @Test
    void verifiesEveryReplicaWithItsOwnContinuity() throws Exception {
        List<StoreVerifier.ReplicaReport> reports = verify(null);
        assertThat(reports).extracting(StoreVerifier.ReplicaReport::replica).containsExactly("replica-a", "replica-b");
        assertThat(reports).allSatisfy(r -> {
            assertThat(r.report().findings()).isEmpty();
            assertThat(r.ok()).isTrue();
            assertThat(r.report().events()).isPositive();
            assertThat(r.keysFromStore()).isTrue();
        });
        assertThat(reports.getFirst().recordings()).isEqualTo(1);
    }

    @Test
    void catchesAnEventChangedInASegmentObject() throws Exception {
        String k = segmentKey(1);
        String text = new String(store.get(k), StandardCharsets.UTF_8);
        assertThat(text).contains("\"alice\"");
        overwrite(k, text.replaceFirst("\"alice\"", "\"mallory\"").getBytes(StandardCharsets.UTF_8));

        StoreVerifier.ReplicaReport r = replicaA();
        assertThat(r.ok()).isFalse();
        assertThat(r.report().findings()).extracting(Finding::kind).contains(Finding.Kind.MODIFIED);
        assertThat(r.report().firstBad().orElseThrow().position()).isLessThan(shippedA.get(2).firstSeq());
    }

    @Test
    void catchesADeletedSegmentObject() throws Exception {
        delete(segmentKey(2));
        StoreVerifier.ReplicaReport r = replicaA();
        assertThat(r.ok()).isFalse();
        assertThat(r.report().findings()).extracting(Finding::kind).contains(Finding.Kind.MISSING);
        assertThat(r.report().findings()).anySatisfy(f -> assertThat(f.position()).isEqualTo(shippedA.get(2).firstSeq()));
    }

    @Test
    void catchesTheOldestSegmentsDeleted() throws Exception {
        delete(segmentKey(0));
        StoreVerifier.ReplicaReport r = replicaA();
        assertThat(r.ok()).isFalse();
        assertThat(r.report().findings()).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.MISSING);
            assertThat(f.position()).isZero();
        });
    }

    @Test
    void catchesSegmentObjectsSwapped() throws Exception {
        byte[] one = store.get(segmentKey(1));
        byte[] two = store.get(segmentKey(2));
        overwrite(segmentKey(1), two);
        overwrite(segmentKey(2), one);
        StoreVerifier.ReplicaReport r = replicaA();
        assertThat(r.ok()).isFalse();
        assertThat(r.report().findings()).extracting(Finding::kind)
                .contains(Finding.Kind.MISSING, Finding.Kind.OUT_OF_PLACE);
    }

    @Test
    void catchesTheLastSegmentsCheckpointsDeleted() throws Exception {
        long end = Segment.list(tmp.resolve("a/audit")).getLast().firstSeq();
        delete(key(String.format("audit/checkpoints-%020d.jsonl", end)));
        StoreVerifier.ReplicaReport r = replicaA();
        assertThat(r.ok()).isFalse();
        assertThat(r.report().findings()).extracting(Finding::kind).contains(Finding.Kind.MISSING);
    }

    @Test
    void catchesARecordingChangedOrDeleted() throws Exception {
        overwrite(key("sessions/" + session + ".cast"), "{\"version\":2}\n[0.1,\"o\",\"nothing to see\"]\n".getBytes());
        delete(key("sessions/" + session + ".raw"));
        StoreVerifier.ReplicaReport r = replicaA();
        assertThat(r.ok()).isFalse();
        assertThat(r.report().findings()).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.MODIFIED);
            assertThat(f.message()).contains(session + "'s cast recording");
        });
        assertThat(r.report().findings()).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.MISSING);
            assertThat(f.message()).contains(session + "'s raw recording");
        });
    }

    @Test
    void checkpointsNoTrustedKeySignedFailTheReplica() throws Exception {
        PublicKeys stranger = PublicKeys.of(List.of(SigningKey.generate().publicKey()));
        assertThat(verify(stranger)).allSatisfy(r -> {
            assertThat(r.ok()).isFalse();
            assertThat(r.keysFromStore()).isFalse();
            assertThat(r.report().findings()).extracting(Finding::kind).contains(Finding.Kind.BAD_CHECKPOINT);
        });
    }

    @Test
    void anUnexpectedObjectInAReplicasPrefixIsReported() throws Exception {
        overwrite(key("audit/segment-00000000000000000001.jsonl.bak"), "x\n".getBytes());
        StoreVerifier.ReplicaReport r = replicaA();
        assertThat(r.ok()).isFalse();
        assertThat(r.report().findings()).anySatisfy(f -> assertThat(f.message()).contains("unexpected object"));
    }
}
