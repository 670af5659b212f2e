package dev.gatehouse.audit.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The public keys a verifier trusts, by key id: read from PEM files ({@code -----BEGIN PUBLIC KEY-----}), one
 * file or every {@code *.pub} in a directory. A checkpoint verifies when the key named by its id is trusted and its
 * signature checks.
 */
public final class PublicKeys {
    private final Map<String, PublicKey> byId;

    private PublicKeys(Map<String, PublicKey> byId) {
        this.byId = Map.copyOf(byId);
    }

    public static PublicKeys of(List<PublicKey> keys) {
        Map<String, PublicKey> map = new LinkedHashMap<>();
        keys.forEach(k -> map.put(keyId(k), k));
        return new PublicKeys(map);
    }

    /** Reads a PEM file, or every {@code *.pub} file of a directory. */
    public static PublicKeys read(Path fileOrDirectory) throws IOException {
        if (!Files.isDirectory(fileOrDirectory)) {
            return of(List.of(readPem(fileOrDirectory)));
        }
        try (Stream<Path> files = Files.list(fileOrDirectory)) {
            List<Path> pubs = files.filter(f -> f.getFileName().toString().endsWith(".pub")).sorted().toList();
            List<PublicKey> keys = new java.util.ArrayList<>();
            for (Path p : pubs) {
                keys.add(readPem(p));
            }
            return of(keys);
        }
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    public java.util.Set<String> ids() {
        return byId.keySet();
    }

    /** Whether {@code checkpoint} is signed by a trusted key. */
    public boolean verifies(Checkpoint checkpoint) {
        PublicKey key = byId.get(checkpoint.keyId());
        if (key == null || checkpoint.signature() == null) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(checkpoint.signedText());
            return s.verify(Base64.getDecoder().decode(checkpoint.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** A key's id: the first 8 bytes of SHA-256 over its X.509 encoding, hex. */
    public static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The PEM text of a public key. */
    public static String toPem(PublicKey key) {
        return Pem.encode("PUBLIC KEY", key.getEncoded());
    }

    public static PublicKey readPem(Path file) throws IOException {
        String pem = Files.readString(file);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Pem.decode(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + ": not an Ed25519 public key in PEM (" + e.getMessage() + ")", e);
        }
    }
}
