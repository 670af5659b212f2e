package dev.gatehouse.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.Segment;
import dev.gatehouse.evidence.EvidenceFixture;
import dev.gatehouse.evidence.EvidenceShipper;
import dev.gatehouse.evidence.ObjectStoreConfig;
import dev.gatehouse.evidence.S3ObjectStore;
import dev.gatehouse.evidence.S3ProxyServer;

/** {@code gatehouse audit verify --store} against a real S3 API server (s3proxy) holding two replicas' evidence. */
@Timeout(120)
class VerifyStoreCommandTest {
    @TempDir
    Path tmp;

    private S3ProxyServer server;
    private ObjectStoreConfig config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void ship() throws Exception {
        server = S3ProxyServer.start(tmp.resolve("s3"), EvidenceFixture.BUCKET);
        for (String replica : new String[] {"replica-a", "replica-b"}) {
            config = EvidenceFixture.config(server, tmp, replica, null);
            Path data = tmp.resolve(replica);
            try (ChainedFileAuditLog log = EvidenceFixture.openLog(data);
                 EvidenceShipper shipper = EvidenceFixture.shipper(config, data)) {
                EvidenceFixture.append(log, 40);
                EvidenceFixture.signed(log);
                shipper.shipPass();
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private int verify(String... extra) {
        String[] base = {"verify", "--store", "s3://evidence/gatehouse/prod", "--endpoint",
                server.endpoint().toString(), "--access-key-id-file", tmp.resolve("creds/access-key-id").toString(),
                "--secret-access-key-file", tmp.resolve("creds/secret-access-key").toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return new CommandLine(new AuditCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void exitsZeroWhenEveryReplicaVerifies() {
        assertThat(verify()).as(err.toString()).isZero();
        assertThat(out.toString()).contains("replica replica-a: ").contains("replica replica-b: ")
                .contains("OK: 2 replica(s) under s3://evidence/gatehouse/prod verify");
    }

    @Test
    void exitsOneAndNamesTheReplicaAndPositionOfAChangedEvent() throws Exception {
        String key = "gatehouse/prod/replica-b/audit/" + Segment.fileName(0);
        try (S3ObjectStore store = S3ObjectStore.open(config)) {
            byte[] changed = new String(store.get(key), StandardCharsets.UTF_8).replaceFirst("\"alice\"", "\"eve\"")
                    .getBytes(StandardCharsets.UTF_8);
            Path f = Files.write(tmp.resolve("changed"), changed);
            store.put(key, f, HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(changed)));
        }
        assertThat(verify()).isEqualTo(1);
        assertThat(out.toString()).contains("replica replica-b: ").contains("MODIFIED")
                .contains("FAILED: the evidence under s3://evidence/gatehouse/prod does not verify");
    }

    @Test
    void aBadStoreUrlIsOneLineAndExitTwo() {
        int code = new CommandLine(new AuditCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("verify", "--store", "https://evidence/x");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("gatehouse audit verify: --store: \"https://evidence/x\" "
                + "(expected: s3://bucket/prefix)");
    }

    @Test
    void anUnreachableStoreIsOneLineAndExitTwo() throws Exception {
        server.stop();
        assertThat(verify()).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("gatehouse audit verify: LIST s3://evidence/gatehouse/prod/")
                .doesNotContain("\n");
    }
}
