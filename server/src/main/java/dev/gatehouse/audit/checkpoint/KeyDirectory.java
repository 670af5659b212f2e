package dev.gatehouse.audit.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log's signing keys in {@code <audit dir>/keys}: {@code ed25519-<id>.key} (PKCS#8 PEM, owner-only),
 * {@code ed25519-<id>.pub} (the published half) and {@code active} (the id that signs now). The first start
 * generates a key; {@link #rotate()} replaces it, keeping every public half so old checkpoints still verify, and
 * deleting the retired private half.
 */
public final class KeyDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(KeyDirectory.class);
    private final Path dir;

    public KeyDirectory(Path dir) {
        this.dir = dir;
    }

    /** {@code <audit dir>/keys}. */
    public static KeyDirectory in(Path auditDirectory) {
        return new KeyDirectory(auditDirectory.resolve("keys"));
    }

    public Path path() {
        return dir;
    }

    /** The active key, generating one when the directory has none. */
    public SigningKey activeOrGenerate() throws IOException {
        Path active = dir.resolve("active");
        if (Files.exists(active)) {
            return load(Files.readString(active).strip());
        }
        SigningKey key = SigningKey.generate();
        store(key);
        LOG.info("audit log: generated checkpoint signing key {} (public key in {})", key.keyId(),
                dir.resolve(pubName(key.keyId())));
        return key;
    }

    /** Replaces the active key with a new one; returns it. The old public key stays for verification. */
    public SigningKey rotate() throws IOException {
        SigningKey key = SigningKey.generate();
        activate(key);
        return key;
    }

    /**
     * Makes {@code key} the active key: its public half is published beside the others (old checkpoints still
     * verify) and the retired key's private half is deleted.
     */
    public void activate(SigningKey key) throws IOException {
        Path active = dir.resolve("active");
        String old = Files.exists(active) ? Files.readString(active).strip() : null;
        store(key);
        if (old != null && !old.equals(key.keyId())) {
            Files.deleteIfExists(dir.resolve("ed25519-" + old + ".key"));
        }
        LOG.info("audit log: rotated checkpoint signing key {} -> {}", old, key.keyId());
    }

    /** Every public key this log has signed with, for verifiers. */
    public PublicKeys publicKeys() throws IOException {
        return PublicKeys.read(dir);
    }

    private void store(SigningKey key) throws IOException {
        Files.createDirectories(dir);
        Path priv = dir.resolve("ed25519-" + key.keyId() + ".key");
        Files.deleteIfExists(priv);
        Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(priv, Pem.encode("PRIVATE KEY", key.privateKey().getEncoded()));
        Files.writeString(dir.resolve(pubName(key.keyId())), PublicKeys.toPem(key.publicKey()));
        Path tmp = dir.resolve("active.tmp");
        Files.writeString(tmp, key.keyId() + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("active"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private SigningKey load(String keyId) throws IOException {
        Path priv = dir.resolve("ed25519-" + keyId + ".key");
        try {
            PrivateKey privateKey = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(Pem.decode(Files.readString(priv), "PRIVATE KEY")));
            PublicKey publicKey = PublicKeys.readPem(dir.resolve(pubName(keyId)));
            return new SigningKey(keyId, privateKey, publicKey);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(priv + ": not an Ed25519 private key in PEM (" + e.getMessage() + ")", e);
        }
    }

    private static String pubName(String keyId) {
        return "ed25519-" + keyId + ".pub";
    }
}
