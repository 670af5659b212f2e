package dev.gatehouse.audit.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.gatehouse.audit.merkle.MerkleFrontier;

/**
 * A signed statement of the log's state, in the spirit of transparency-log checkpoints: the signed text is
 * {@code <origin>\n<tree size>\n<root, base64>\n<time>\n}. The frontier is not signed; it is checked against the
 * signed root before it is trusted.
 *
 * @param origin    the log's name ({@code gatehouse.dev/audit})
 * @param treeSize  how many events the checkpoint covers (positions 0 .. treeSize-1)
 * @param rootHash  RFC 6962 root of those events, base64
 * @param time      when it was signed, RFC 3339
 * @param keyId     which key signed it
 * @param signature Ed25519 signature of {@link #signedText()}, base64
 * @param frontier  the perfect-subtree hashes at this size, base64, largest first (lets the writer resume);
 *                  kept in checkpoints signed on sealing a segment and on close, absent from periodic ones
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"origin", "treeSize", "rootHash", "time", "keyId", "signature", "frontier"})
public record Checkpoint(String origin, long treeSize, String rootHash, String time, String keyId, String signature,
                         List<String> frontier) {
    public static final String ORIGIN = "gatehouse.dev/audit";

    /** The exact bytes the signature covers. */
    public static byte[] signedText(String origin, long treeSize, String rootHash, String time) {
        return (origin + "\n" + treeSize + "\n" + rootHash + "\n" + time + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @JsonIgnore
    public byte[] signedText() {
        return signedText(origin, treeSize, rootHash, time);
    }

    @JsonIgnore
    public byte[] root() {
        return Base64.getDecoder().decode(rootHash);
    }

    /** The saved frontier, or null when it is absent or does not reproduce the signed root. */
    @JsonIgnore
    public MerkleFrontier restoreFrontier() {
        if (frontier == null) {
            return null;
        }
        try {
            MerkleFrontier f = MerkleFrontier.of(treeSize, frontier.stream().map(Base64.getDecoder()::decode).toList());
            return java.util.Arrays.equals(f.root(), root()) ? f : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
