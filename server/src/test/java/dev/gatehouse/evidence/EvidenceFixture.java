package dev.gatehouse.evidence;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.gatehouse.audit.SystemEvents;
import dev.gatehouse.audit.TestEvents;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;

/** A replica's data directory with a real log (small segments), a real S3 server, and helpers. */
public final class EvidenceFixture {
    private EvidenceFixture() {
    }

    public static final String BUCKET = "evidence";

    public static ObjectStoreConfig config(S3ProxyServer server, Path tmp, String replica, ObjectStoreConfig.ObjectLock lock)
            throws Exception {
        return new ObjectStoreConfig(BUCKET, "gatehouse/prod", server.endpoint(), "us-east-1",
                server.credentialFiles(tmp.resolve("creds")), lock, replica, Duration.ofMillis(200),
                Duration.ofMinutes(5));
    }

    public static ChainedFileAuditLog openLog(Path dataDir) {
        return ChainedFileAuditLog.open(FileAuditLogConfig.of(dataDir.resolve("audit")).withSegmentBytes(4096));
    }

    public static void append(ChainedFileAuditLog log, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            log.append(TestEvents.request("alice", "get", "pods", "default", 200)).get();
        }
    }

    /** Writes a finished recording (raw, cast, summary) and its signed end event, as a session does. */
    public static String recordSession(ChainedFileAuditLog log, Path dataDir) throws Exception {
        String id = UUID.randomUUID().toString();
        Path sessions = Files.createDirectories(dataDir.resolve("sessions"));
        byte[] raw = ("raw bytes of " + id).getBytes();
        byte[] cast = ("{\"version\":2}\n[0.1,\"o\",\"" + id + "\"]\n").getBytes();
        Files.write(sessions.resolve(id + ".raw"), raw);
        Files.write(sessions.resolve(id + ".cast"), cast);
        Files.writeString(sessions.resolve(id + ".json"), "{\"id\":\"" + id + "\"}");
        Map<String, String> details = new LinkedHashMap<>();
        details.put("session", id);
        details.put("recording.rawBytes", Integer.toString(raw.length));
        details.put("recording.rawSha256", HexFormat.of().formatHex(S3ObjectStore.digest("SHA-256", raw)));
        details.put("recording.castBytes", Integer.toString(cast.length));
        details.put("recording.castSha256", HexFormat.of().formatHex(S3ObjectStore.digest("SHA-256", cast)));
        log.append(SystemEvents.of("create", "pods/exec", "web", "session ended", details)).get();
        return id;
    }

    /** Waits until every event is signed (sealing checkpoints come with it). */
    public static void signed(ChainedFileAuditLog log) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            var last = log.lastCheckpoint();
            if (last != null && last.treeSize() == log.size()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the log did not sign its events within 5 s");
    }

    public static EvidenceShipper shipper(ObjectStoreConfig config, Path dataDir) throws Exception {
        return EvidenceShipper.open(S3ObjectStore.open(config), config, dataDir, dataDir.resolve("audit"),
                Clock.systemUTC());
    }
}
