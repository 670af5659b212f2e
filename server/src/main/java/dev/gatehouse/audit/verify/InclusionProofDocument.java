package dev.gatehouse.audit.verify;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.gatehouse.audit.checkpoint.Checkpoint;
import dev.gatehouse.audit.checkpoint.PublicKeys;
import dev.gatehouse.audit.merkle.InclusionProof;
import dev.gatehouse.audit.merkle.MerkleHash;

/**
 * What {@code gatehouse audit prove} prints: the event's exact line, its position, the audit path and the signed
 * checkpoint. Anyone holding the log's public key checks it offline with {@link #verify(PublicKeys)}.
 *
 * @param auditID    the event's audit id
 * @param position   the event's position (leaf index)
 * @param event      the event's line exactly as the log holds it
 * @param path       the audit path, leaf side first, base64
 * @param checkpoint the signed checkpoint the path leads to
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"auditID", "position", "event", "path", "checkpoint"})
public record InclusionProofDocument(String auditID, long position, String event, List<String> path,
                                     Checkpoint checkpoint) {

    /** Null when the proof holds; otherwise why it does not. */
    public String verify(PublicKeys keys) {
        if (checkpoint == null || event == null || path == null) {
            return "the proof is incomplete (expected: event, path and checkpoint)";
        }
        if (!keys.verifies(checkpoint)) {
            return "the checkpoint's signature does not verify with the given public key(s) (key "
                    + checkpoint.keyId() + ")";
        }
        byte[] leaf = MerkleHash.leaf(event.getBytes(StandardCharsets.UTF_8));
        List<byte[]> hashes;
        try {
            hashes = path.stream().map(Base64.getDecoder()::decode).toList();
        } catch (IllegalArgumentException e) {
            return "the audit path is not base64";
        }
        InclusionProof proof = new InclusionProof(position, checkpoint.treeSize(), hashes);
        if (!proof.verifies(leaf, checkpoint.root())) {
            return "the event and audit path do not lead to the checkpoint's root: the event is not the one the "
                    + "log holds at position " + position;
        }
        return null;
    }
}
