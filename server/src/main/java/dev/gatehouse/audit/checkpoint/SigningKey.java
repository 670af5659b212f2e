package dev.gatehouse.audit.checkpoint;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * An Ed25519 key that signs checkpoints.
 *
 * @param keyId      the key's id, derived from its public half ({@link PublicKeys#keyId})
 * @param privateKey the signing half; never logged, never leaves the data directory
 * @param publicKey  the published half
 */
public record SigningKey(String keyId, PrivateKey privateKey, PublicKey publicKey) {

    @Override
    public String toString() {
        return "SigningKey[" + keyId + "]";
    }

    /** A new random key. */
    public static SigningKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new SigningKey(PublicKeys.keyId(pair.getPublic()), pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is missing from this JDK", e);
        }
    }

    /** Signs {@code message}. */
    public byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with key " + keyId + " failed: " + e.getMessage(), e);
        }
    }
}
