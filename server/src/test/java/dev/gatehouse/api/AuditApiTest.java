package dev.gatehouse.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.TestEvents;
import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.file.AuditLogReader;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;
import dev.gatehouse.audit.verify.InclusionProofDocument;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.listen.CertificateAuthority;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

/** The audit API over real TLS, on the real file log: who may read, and that every read is evidence first. */
class AuditApiTest {
    static final String READER = "carol-token";
    static final String NON_READER = "alice-token";
    static final String KEY_ADMIN = "erin-token";

    @TempDir
    static Path dir;
    static SwitchableAuditLog log;
    static Gatehouse gateway;
    static Vertx vertx;
    static HttpClientAgent client;

    @BeforeAll
    static void start() throws Exception {
        CertificateAuthority.WrittenFiles tls = CertificateAuthority.create("gateway-ca", Duration.ofDays(1))
                .issueServer("gateway", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .written(dir.resolve("gw"), "server");
        Files.writeString(dir.resolve("tokens.csv"), READER + ",carol,uid-c,auditors\n"
                + NON_READER + ",alice,uid-a,\"dev,readers\"\n" + KEY_ADMIN + ",erin,uid-e,keyadmins\n");
        Files.writeString(dir.resolve("upstream-token"), "t\n");
        GatehouseConfig config = new GatehouseConfig(
                new GatehouseConfig.ListenConfig("127.0.0.1", 0, tls.certificate(), tls.privateKey()),
                dir.resolve("data"), Duration.ofHours(1), Duration.ofSeconds(5),
                new GatehouseConfig.AuthenticationConfig(dir.resolve("tokens.csv")), null, null,
                new GatehouseConfig.AuditConfig(Duration.ofMinutes(1), null, List.of(),
                        new GatehouseConfig.ReadersConfig(List.of("auditors"), List.of()),
                        new GatehouseConfig.ReadersConfig(List.of("keyadmins"), List.of())),
                List.of(new GatehouseConfig.ClusterConfig("c1", null, null, "https://127.0.0.1:1", tls.ca(),
                        dir.resolve("upstream-token"), null, null, "impersonate")));
        log = new SwitchableAuditLog(ChainedFileAuditLog.open(FileAuditLogConfig.of(Gatehouse.auditDirectory(config))
                .withCheckpointInterval(Duration.ofMillis(100))));
        for (int i = 0; i < 5; i++) {
            log.append(TestEvents.request("alice", "get", "pods", "dev", 200)).get();
        }
        log.append(TestEvents.request("bob", "delete", "pods", "prod", 200)).get();
        gateway = Gatehouse.start(config, c -> log);
        vertx = Vertx.vertx();
        client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true)
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setTrustOptions(new PemTrustOptions().addCertPath(tls.ca().toString())));
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
        gateway.close();
    }

    @BeforeEach
    void healthyLog() {
        log.failWith(null);
    }

    record Answer(int code, String body, String auditId, String contentType) {
        JsonNode json() {
            try {
                return AuditEventJson.mapper().readTree(body);
            } catch (Exception e) {
                throw new AssertionError(body, e);
            }
        }
    }

    static Answer get(String uri, String token) {
        return call(HttpMethod.GET, uri, token);
    }

    static Answer call(HttpMethod method, String uri, String token) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1")
                .setPort(gateway.port()).setURI(uri);
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        return client.request(options).compose(req -> req.send(Buffer.buffer()).compose(resp -> resp.body()
                .map(b -> new Answer(resp.statusCode(), b.toString(), resp.getHeader("Audit-ID"),
                        resp.getHeader("Content-Type"))))).await();
    }

    /** The events on disk now: what is there when the answer arrives was durable before it was sent. */
    static List<AuditEvent> onDisk(String auditId) throws Exception {
        try (Stream<AuditEvent> events = AuditLogReader.events(log.file.directory())) {
            return events.filter(e -> auditId.equals(e.auditID())).toList();
        }
    }

    static AuditEvent evidenceRead(Answer a) throws Exception {
        List<AuditEvent> events = onDisk(a.auditId());
        assertThat(events).hasSize(1);
        AuditEvent e = events.get(0);
        assertThat(e.gatehouse().type()).isEqualTo("evidence-read");
        assertThat(e.responseStatus().code()).isEqualTo(a.code());
        return e;
    }

    @Test
    void readerGetsMatchingEventsAndTheReadIsRecordedWithTheReader() throws Exception {
        Answer a = get("/gatehouse/v1/audit/events?user=alice&verb=get", READER);
        assertThat(a.code()).isEqualTo(200);
        JsonNode items = a.json().get("items");
        assertThat(items).hasSize(5);
        items.forEach(i -> assertThat(i.get("user").get("username").asText()).isEqualTo("alice"));

        AuditEvent read = evidenceRead(a);
        assertThat(read.user().username()).isEqualTo("carol");
        assertThat(read.user().groups()).containsExactly("auditors");
        assertThat(read.verb()).isEqualTo("query");
        assertThat(read.gatehouse().authn().method()).isEqualTo("static-token");
        assertThat(read.gatehouse().authn().issuer()).isNotBlank();
        assertThat(read.gatehouse().details()).containsEntry("user", "alice").containsEntry("verb", "get")
                .containsEntry("results", "5").containsEntry("operation", "query");
        assertThat(read.toString()).doesNotContain(READER);
    }

    @Test
    void pagesWithContinueAndCapsTheLimit() throws Exception {
        Answer first = get("/gatehouse/v1/audit/events?user=alice&limit=3", READER);
        assertThat(first.json().get("items")).hasSize(3);
        String next = first.json().get("metadata").get("continue").asText();
        Answer second = get("/gatehouse/v1/audit/events?user=alice&limit=3&continue=" + next, READER);
        assertThat(second.json().get("items")).hasSize(2);
        assertThat(second.json().get("metadata").has("continue")).isFalse();
        Answer capped = get("/gatehouse/v1/audit/events?limit=100000", READER);
        assertThat(capped.code()).isEqualTo(200);
        assertThat(evidenceRead(capped).gatehouse().details()).containsEntry("limit",
                Integer.toString(EvidenceRead.MAX_PAGE));
    }

    @Test
    void refusesNonReadersWithForbiddenNamingTheSetting() throws Exception {
        Answer a = get("/gatehouse/v1/audit/events", NON_READER);
        assertThat(a.code()).isEqualTo(403);
        assertThat(a.json().get("kind").asText()).isEqualTo("Status");
        assertThat(a.json().get("message").asText()).contains("alice").contains("audit.readers");
        assertThat(a.body()).doesNotContain("\"items\"");
        AuditEvent read = evidenceRead(a);
        assertThat(read.user().username()).isEqualTo("alice");
        assertThat(read.verb()).isEqualTo("query");
        assertThat(read.gatehouse().decision()).isEqualTo("refused");
    }

    @Test
    void refusesCallersWithoutTokenWithUnauthorized() throws Exception {
        Answer none = get("/gatehouse/v1/audit/verify", null);
        assertThat(none.code()).isEqualTo(401);
        assertThat(none.json().get("reason").asText()).isEqualTo("Unauthorized");
        assertThat(evidenceRead(none).user().username()).isEqualTo("system:anonymous");
        Answer forged = get("/gatehouse/v1/audit/verify", "forged-token");
        assertThat(forged.code()).isEqualTo(401);
        AuditEvent read = evidenceRead(forged);
        assertThat(read.gatehouse().authn().credentialId()).startsWith("sha256:");
        assertThat(read.toString()).doesNotContain("forged-token");
    }

    @Test
    void healthEndpointsSayWhetherTheLogCanBeWrittenWithoutAToken() {
        for (String path : List.of("/livez", "/readyz", "/healthz")) {
            Answer a = get(path, null);
            assertThat(a.code()).as(path).isEqualTo(200);
            assertThat(a.body()).isEqualTo("ok");
        }
        log.failWith("disk full");
        assertThat(get("/livez", null).code()).as("alive while the log is down").isEqualTo(200);
        for (String path : List.of("/readyz", "/healthz")) {
            Answer a = get(path, null);
            assertThat(a.code()).as(path).isEqualTo(503);
            assertThat(a.body()).contains("audit log not writable").contains("disk full");
        }
        log.failWith(null);
        assertThat(get("/readyz", null).code()).as("ready again").isEqualTo(200);
    }

    @Test
    void answersServiceUnavailableAndNoDataWhenTheReadCannotBeRecorded() throws Exception {
        log.failWith("disk full");
        for (String path : List.of("events", "verify", "keys", "export")) {
            Answer a = get("/gatehouse/v1/audit/" + path, READER);
            assertThat(a.code()).as(path).isEqualTo(503);
            assertThat(a.json().get("kind").asText()).isEqualTo("Status");
            assertThat(a.body()).doesNotContain("alice").doesNotContain("PUBLIC KEY");
            assertThat(onDisk(a.auditId())).isEmpty();
        }
    }

    @Test
    void verifiesTheLiveLog() throws Exception {
        Answer a = get("/gatehouse/v1/audit/verify", READER);
        assertThat(a.code()).isEqualTo(200);
        assertThat(a.json().get("findings")).isEmpty();
        assertThat(a.json().get("events").asLong()).isGreaterThanOrEqualTo(6);
        // what no signature covers is part of the answer, as offline (gatehouse audit verify --server prints it)
        long unsigned = a.json().get("unsignedEvents").asLong();
        assertThat(a.json().get("unsignedFrom").asLong()).isEqualTo(unsigned == 0 ? -1
                : a.json().get("signedSize").asLong());
        assertThat(a.json().get("unsignedTo").asLong()).isEqualTo(unsigned == 0 ? -1
                : a.json().get("events").asLong() - 1);
        assertThat(a.json().get("tailMatched").asLong() + a.json().get("tailUnchecked").asLong()).isEqualTo(unsigned);
        assertThat(evidenceRead(a).verb()).isEqualTo("verify");
    }

    @Test
    void provesAnEventWithAProofThatVerifiesOfflineWithThePublicKey() throws Exception {
        log.append(TestEvents.request("dave", "get", "secrets", "prod", 200)).get();
        AuditEvent dave = onDiskUser("dave");
        long position = dave.gatehouse().seq();
        await().atMost(Duration.ofSeconds(10)).until(() -> log.file.lastCheckpoint() != null
                && log.file.lastCheckpoint().treeSize() > position);
        Answer a = get("/gatehouse/v1/audit/proofs/" + dave.auditID(), READER);
        assertThat(a.code()).isEqualTo(200);
        InclusionProofDocument proof = AuditEventJson.mapper().readValue(a.body(), InclusionProofDocument.class);
        assertThat(proof.verify(KeyDirectory.in(log.file.directory()).publicKeys())).isNull();
        assertThat(proof.position()).isEqualTo(position);
        AuditEvent read = evidenceRead(a);
        assertThat(read.objectRef().name()).isEqualTo(dave.auditID());
        assertThat(read.gatehouse().details()).containsEntry("auditID", dave.auditID());

        Answer missing = get("/gatehouse/v1/audit/proofs/no-such-event", READER);
        assertThat(missing.code()).isEqualTo(404);
        assertThat(evidenceRead(missing).gatehouse().details()).containsEntry("auditID", "no-such-event");
    }

    private static AuditEvent onDiskUser(String user) throws Exception {
        try (Stream<AuditEvent> events = AuditLogReader.events(log.file.directory())) {
            return events.filter(e -> e.user() != null && user.equals(e.user().username())).findFirst()
                    .orElseThrow();
        }
    }

    @Test
    void exportsRangesAsJsonLinesInEitherShape() throws Exception {
        Answer a = get("/gatehouse/v1/audit/export?from=0&to=3", READER);
        assertThat(a.code()).isEqualTo(200);
        assertThat(a.contentType()).isEqualTo("application/x-ndjson");
        List<String> lines = a.body().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(AuditEventJson.parse(lines.get(3)).gatehouse().seq()).isEqualTo(3);
        assertThat(evidenceRead(a).gatehouse().details()).containsEntry("results", "4")
                .containsEntry("fromPosition", "0").containsEntry("toPosition", "3");
        Answer ocsf = get("/gatehouse/v1/audit/export?to=1&shape=ocsf", READER);
        assertThat(ocsf.body().lines().toList()).hasSize(2).allSatisfy(l -> assertThat(l).contains("class_uid"));
        assertThat(get("/gatehouse/v1/audit/export?shape=cef", READER).code()).isEqualTo(400);
    }

    @Test
    void publishesThePublicKeys() throws Exception {
        Answer a = get("/gatehouse/v1/audit/keys", READER);
        assertThat(a.code()).isEqualTo(200);
        assertThat(a.body()).contains("-----BEGIN PUBLIC KEY-----");
        int keys = KeyDirectory.in(log.file.directory()).publicKeys().ids().size(); // another test may rotate
        assertThat(evidenceRead(a).gatehouse().details()).containsEntry("results", Integer.toString(keys));
    }

    static String activeKey() throws Exception {
        return Files.readString(KeyDirectory.in(log.file.directory()).path().resolve("active")).strip();
    }

    @Test
    void aKeyAdminRotatesTheMaskKeyAndTheRotationIsOnRecordBeforeTheKeyMasksAnything() throws Exception {
        Path maskKeys = dir.resolve("data/mask/keys");
        String before = Files.readString(maskKeys.resolve("current")).strip();
        Answer refused = call(HttpMethod.POST, "/gatehouse/v1/audit/mask-keys/rotate", READER);
        assertThat(refused.code()).isEqualTo(403);

        Answer a = call(HttpMethod.POST, "/gatehouse/v1/audit/mask-keys/rotate", KEY_ADMIN);
        assertThat(a.code()).as(a.body()).isEqualTo(200);
        String keyId = a.json().get("keyId").asText();
        assertThat(a.json().get("previousKeyId").asText()).isEqualTo(before);
        assertThat(Files.readString(maskKeys.resolve("current")).strip()).isEqualTo(keyId).isNotEqualTo(before);
        AuditEvent rotation = onDisk(a.auditId()).get(0);
        assertThat(rotation.gatehouse().type()).isEqualTo("mask-key-rotation");
        assertThat(rotation.user().username()).isEqualTo("erin");
        assertThat(rotation.objectRef().resource()).isEqualTo("maskkeys");
        assertThat(rotation.gatehouse().details()).containsEntry("previousKeyId", before).containsEntry("keyId", keyId);

        log.failWith("disk full");
        Answer unrecorded = call(HttpMethod.POST, "/gatehouse/v1/audit/mask-keys/rotate", KEY_ADMIN);
        assertThat(unrecorded.code()).isEqualTo(503);
        assertThat(Files.readString(maskKeys.resolve("current")).strip()).as("not rotated without its record")
                .isEqualTo(keyId);
        try (var files = Files.list(maskKeys)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".key")).count()).isEqualTo(2);
        }
    }

    @Test
    void aKeyAdminRotatesTheSigningKeyAndTheRotationIsRecordedBeforeTheNewKeySigns() throws Exception {
        String before = activeKey();
        Answer a = call(HttpMethod.POST, "/gatehouse/v1/audit/keys/rotate", KEY_ADMIN);
        assertThat(a.code()).as(a.body()).isEqualTo(200);
        String keyId = a.json().get("keyId").asText();
        assertThat(a.json().get("previousKeyId").asText()).isEqualTo(before);
        assertThat(keyId).isNotEqualTo(before);
        assertThat(a.json().get("publicKey").asText()).startsWith("-----BEGIN PUBLIC KEY-----");

        List<AuditEvent> events = onDisk(a.auditId());
        assertThat(events).hasSize(1);
        AuditEvent rotation = events.get(0);
        assertThat(rotation.gatehouse().type()).isEqualTo("key-rotation");
        assertThat(rotation.user().username()).isEqualTo("erin");
        assertThat(rotation.verb()).isEqualTo("rotate-key");
        assertThat(rotation.objectRef().resource()).isEqualTo("auditkeys");
        assertThat(rotation.objectRef().name()).isEqualTo(keyId);
        assertThat(rotation.gatehouse().details()).containsEntry("previousKeyId", before).containsEntry("keyId", keyId)
                .containsEntry("publicKey", a.json().get("publicKey").asText());

        Path keys = KeyDirectory.in(log.file.directory()).path();
        assertThat(activeKey()).isEqualTo(keyId);
        assertThat(keys.resolve("ed25519-" + before + ".key")).doesNotExist();
        assertThat(keys.resolve("ed25519-" + before + ".pub")).exists();
        long rotatedAt = rotation.gatehouse().seq();
        log.append(TestEvents.request("alice", "get", "pods", "dev", 200)).get();
        await().atMost(Duration.ofSeconds(10)).until(() -> log.file.lastCheckpoint() != null
                && log.file.lastCheckpoint().keyId().equals(keyId));
        // no checkpoint signed by the new key covers less than the event that announced it
        List<dev.gatehouse.audit.checkpoint.Checkpoint> byNewKey = dev.gatehouse.audit.checkpoint.CheckpointLog
                .read(log.file.directory()).stream().filter(c -> c.keyId().equals(keyId)).toList();
        assertThat(byNewKey).isNotEmpty().allSatisfy(c -> assertThat(c.treeSize()).isGreaterThan(rotatedAt));

        Answer verify = get("/gatehouse/v1/audit/verify", READER);
        assertThat(verify.json().get("findings")).as(verify.body()).isEmpty();
    }

    @Test
    void onlyKeyAdminsMayRotateAndEveryRefusalIsRecorded() throws Exception {
        String before = activeKey();
        Answer reader = call(HttpMethod.POST, "/gatehouse/v1/audit/keys/rotate", READER);
        assertThat(reader.code()).isEqualTo(403);
        assertThat(reader.json().get("message").asText()).contains("carol").contains("audit.keyAdmins");
        AuditEvent refused = onDisk(reader.auditId()).get(0);
        assertThat(refused.gatehouse().type()).isEqualTo("key-rotation");
        assertThat(refused.gatehouse().decision()).isEqualTo("refused");
        assertThat(refused.responseStatus().code()).isEqualTo(403);
        assertThat(call(HttpMethod.POST, "/gatehouse/v1/audit/keys/rotate", null).code()).isEqualTo(401);
        assertThat(call(HttpMethod.GET, "/gatehouse/v1/audit/keys/rotate", KEY_ADMIN).code()).isEqualTo(405);
        assertThat(call(HttpMethod.POST, "/gatehouse/v1/audit/events", KEY_ADMIN).code()).isEqualTo(405);
        assertThat(call(HttpMethod.POST, "/gatehouse/v1/audit/keys", KEY_ADMIN).code()).isEqualTo(405);
        assertThat(activeKey()).isEqualTo(before);
    }

    @Test
    void doesNotRotateWhenTheRotationCannotBeRecorded() throws Exception {
        String before = activeKey();
        int published = KeyDirectory.in(log.file.directory()).publicKeys().ids().size();
        log.failWith("disk full");
        Answer a = call(HttpMethod.POST, "/gatehouse/v1/audit/keys/rotate", KEY_ADMIN);
        assertThat(a.code()).isEqualTo(503);
        assertThat(a.body()).doesNotContain("PUBLIC KEY");
        assertThat(onDisk(a.auditId())).isEmpty();
        assertThat(activeKey()).isEqualTo(before);
        assertThat(KeyDirectory.in(log.file.directory()).publicKeys().ids()).hasSize(published);
    }

    @Test
    void answersUnknownResourcesAndBadFiltersWithStatus() throws Exception {
        Answer unknown = get("/gatehouse/v1/audit/reports", READER);
        assertThat(unknown.code()).isEqualTo(404);
        assertThat(evidenceRead(unknown).verb()).isEqualTo("read");
        Answer bad = get("/gatehouse/v1/audit/events?from=yesterday", READER);
        assertThat(bad.code()).isEqualTo(400);
        assertThat(bad.json().get("message").asText()).contains("RFC 3339");
        assertThat(get("/gatehouse/v1/audit/events?colour=red", READER).code()).isEqualTo(400);
        assertThat(get("/gatehouse/v1/audit/events?colour=red", null).code()).isEqualTo(401);
    }
}
