package dev.gatehouse.audit.checkpoint;

import java.time.Instant;
import java.util.Base64;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.merkle.MerkleFrontier;

/** Signs the log's current state with the active key. */
public final class CheckpointSigner {
    private volatile SigningKey key;

    public CheckpointSigner(SigningKey key) {
        this.key = key;
    }

    /** Switches to a rotated key; later checkpoints carry its id. */
    public void use(SigningKey rotated) {
        this.key = rotated;
    }

    public String keyId() {
        return key.keyId();
    }

    /** A checkpoint of {@code frontier} at {@code time}, with the frontier saved in it. */
    public Checkpoint sign(MerkleFrontier frontier, Instant time) {
        return sign(frontier, time, true);
    }

    /** A checkpoint of {@code frontier} at {@code time}; {@code saveFrontier} keeps the subtree hashes in it. */
    public Checkpoint sign(MerkleFrontier frontier, Instant time, boolean saveFrontier) {
        Base64.Encoder b64 = Base64.getEncoder();
        String root = b64.encodeToString(frontier.root());
        String ts = AuditEvent.timestamp(time);
        SigningKey k = key;
        byte[] signature = k.sign(Checkpoint.signedText(Checkpoint.ORIGIN, frontier.size(), root, ts));
        return new Checkpoint(Checkpoint.ORIGIN, frontier.size(), root, ts, k.keyId(), b64.encodeToString(signature),
                saveFrontier ? frontier.subtrees().stream().map(b64::encodeToString).toList() : null);
    }
}
