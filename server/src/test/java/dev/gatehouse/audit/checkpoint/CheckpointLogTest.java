package dev.gatehouse.audit.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.merkle.MerkleFrontier;
import dev.gatehouse.audit.merkle.MerkleHash;

class CheckpointLogTest {
    @TempDir
    Path dir;

    @Test
    void checkpointSignaturesAreTheJdksEd25519SignaturesAndVerifyWithThePublishedKey() throws Exception {
        SigningKey key = SigningKey.generate();
        CheckpointSigner signer = new CheckpointSigner(key);
        MerkleFrontier frontier = MerkleFrontier.empty();
        for (int i = 0; i < 5; i++) {
            frontier.append(MerkleHash.leaf(("event " + i).getBytes(StandardCharsets.UTF_8)));
            Checkpoint cp = signer.sign(frontier, Instant.now(), false);
            assertThat(java.util.Base64.getDecoder().decode(cp.signature())).isEqualTo(key.sign(cp.signedText()));
            Path pem = dir.resolve("k" + i + ".pem");
            Files.writeString(pem, PublicKeys.toPem(key.publicKey()));
            assertThat(PublicKeys.read(pem).verifies(cp)).isTrue();
        }
        SigningKey rotated = SigningKey.generate();
        signer.use(rotated);
        Checkpoint cp = signer.sign(frontier, Instant.now(), false);
        assertThat(cp.keyId()).isEqualTo(rotated.keyId());
        assertThat(java.util.Base64.getDecoder().decode(cp.signature())).isEqualTo(rotated.sign(cp.signedText()));
    }

    @Test
    void theLastCheckpointsAreFoundFromTheEndOfAFileOfManyBlocks() throws Exception {
        CheckpointSigner signer = new CheckpointSigner(SigningKey.generate());
        MerkleFrontier frontier = MerkleFrontier.empty();
        try (CheckpointLog log = CheckpointLog.open(dir)) {
            for (int i = 1; i <= 1500; i++) {
                frontier.append(MerkleHash.leaf(("event " + i).getBytes(StandardCharsets.UTF_8)));
                log.append(signer.sign(frontier, Instant.now(), i == 7 || i == 900)); // frontiers at 7 and 900
            }
        }
        Path file = dir.resolve(CheckpointLog.FILE);
        assertThat(Files.size(file)).isGreaterThan(4 * 65536);
        Files.writeString(file, "not a checkpoint\n{\"torn\":", StandardOpenOption.APPEND);

        List<Checkpoint> all = CheckpointLog.read(dir);
        assertThat(CheckpointLog.last(dir)).isEqualTo(all.get(1499)).extracting(Checkpoint::treeSize)
                .isEqualTo(1500L);
        assertThat(CheckpointLog.lastWithFrontier(dir).treeSize()).isEqualTo(900);
        assertThat(CheckpointLog.lastMatching(dir, cp -> cp.treeSize() < 5).treeSize()).isEqualTo(4);
        assertThat(CheckpointLog.lastMatching(dir, cp -> cp.treeSize() == 1).treeSize()).isEqualTo(1);
        assertThat(CheckpointLog.lastMatching(dir, cp -> false)).isNull();
    }
}
