package dev.gatehouse.audit.checkpoint;

import java.security.interfaces.EdECPrivateKey;
import java.time.Instant;
import java.util.Base64;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.merkle.MerkleFrontier;

/**
 * Signs the log's current state with the active key. Signing uses Bouncy Castle's RFC 8032 Ed25519 with the key
 * expanded once (the JDK's provider took 0.56-1.6 ms of CPU per signature here, Bouncy Castle 0.1 ms, and a
 * checkpoint follows every commit); Ed25519 signatures are deterministic, so they are byte for byte what the JDK
 * signs, and verifiers use the JDK ({@link PublicKeys}).
 */
public final class CheckpointSigner {
    private volatile Active active;

    /** The key and its expanded Bouncy Castle form (null when its seed cannot be read: the JDK signs then). */
    private record Active(SigningKey key, Ed25519PrivateKeyParameters expanded) {
        static Active of(SigningKey key) {
            Ed25519PrivateKeyParameters expanded = null;
            if (key.privateKey() instanceof EdECPrivateKey ed && ed.getBytes().isPresent()) {
                expanded = new Ed25519PrivateKeyParameters(ed.getBytes().get(), 0);
            }
            return new Active(key, expanded);
        }

        byte[] sign(byte[] message) {
            if (expanded == null) {
                return key.sign(message);
            }
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, expanded);
            signer.update(message, 0, message.length);
            return signer.generateSignature();
        }
    }

    public CheckpointSigner(SigningKey key) {
        this.active = Active.of(key);
    }

    /** Switches to a rotated key; later checkpoints carry its id. */
    public void use(SigningKey rotated) {
        this.active = Active.of(rotated);
    }

    public String keyId() {
        return active.key().keyId();
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
        Active k = active;
        byte[] signature = k.sign(Checkpoint.signedText(Checkpoint.ORIGIN, frontier.size(), root, ts));
        return new Checkpoint(Checkpoint.ORIGIN, frontier.size(), root, ts, k.key().keyId(),
                b64.encodeToString(signature),
                saveFrontier ? frontier.subtrees().stream().map(b64::encodeToString).toList() : null);
    }
}
