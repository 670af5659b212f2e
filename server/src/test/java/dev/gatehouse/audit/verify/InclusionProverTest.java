package dev.gatehouse.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.TestEvents;
import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.checkpoint.PublicKeys;
import dev.gatehouse.audit.checkpoint.SigningKey;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;

class InclusionProverTest {
    @TempDir
    Path tmp;
    Path dir;
    List<String> ids = new ArrayList<>();

    @BeforeEach
    void writeLog() throws Exception {
        dir = tmp.resolve("audit");
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir).withSegmentBytes(4096))) {
            for (int i = 0; i < 57; i++) {
                AuditEvent e = TestEvents.any();
                ids.add(e.auditID());
                log.append(e).get();
            }
        }
    }

    @Test
    void proofVerifiesOfflineWithOnlyThePublicKey() throws Exception {
        InclusionProofDocument proof = new InclusionProver(KeyDirectory.in(dir).publicKeys()).prove(dir, ids.get(37));
        String json = AuditEventJson.mapper().writeValueAsString(proof);

        Path published = Files.list(dir.resolve("keys")).filter(p -> p.toString().endsWith(".pub")).findFirst()
                .orElseThrow();
        Path elsewhere = Files.copy(published, tmp.resolve("gatehouse-audit.pub"));
        InclusionProofDocument received = AuditEventJson.mapper().readValue(json, InclusionProofDocument.class);
        assertThat(received.position()).isEqualTo(37);
        assertThat(received.verify(PublicKeys.read(elsewhere))).isNull();
    }

    @Test
    void proofFailsForAnAlteredEventOrAnotherKey() throws Exception {
        InclusionProofDocument proof = new InclusionProver(KeyDirectory.in(dir).publicKeys()).prove(dir, ids.get(3));
        InclusionProofDocument altered = new InclusionProofDocument(proof.auditID(), proof.position(),
                proof.event().replace("alice", "mallory"), proof.path(), proof.checkpoint());
        assertThat(altered.verify(KeyDirectory.in(dir).publicKeys())).contains("do not lead to the checkpoint");
        assertThat(proof.verify(PublicKeys.of(List.of(SigningKey.generate().publicKey()))))
                .contains("does not verify");
    }

    @Test
    void unknownAuditIdSaysSo() {
        assertThatThrownBy(() -> new InclusionProver(KeyDirectory.in(dir).publicKeys()).prove(dir, "nope"))
                .hasMessageContaining("no event with audit id nope");
    }
}
