package dev.gatehouse.authn.delegation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/**
 * The gateway's ES256 (P-256) signing keys, kept as a JWK set in {@code <dataDir>/issuer/signing-keys.json}
 * (mode 600, directory 700): generated on first start, the first key signs, the others (at most two older
 * ones) still verify after a {@link #rotate()}. File I/O happens only in {@link #load(Path)} and
 * {@link #rotate()}: call them at start-up or from a worker, never on an event loop.
 */
public final class GatehouseSigningKeys {
    static final int KEEP = 3;
    private final Path file;
    private volatile List<ECKey> keys;

    private GatehouseSigningKeys(Path file, List<ECKey> keys) {
        this.file = file;
        this.keys = List.copyOf(keys);
    }

    /** Loads the keys from the data directory, creating the first key when there is none. */
    public static GatehouseSigningKeys load(Path dataDir) {
        Path file = dataDir.resolve("issuer").resolve("signing-keys.json");
        try {
            if (Files.exists(file)) {
                List<ECKey> keys = new ArrayList<>();
                for (JWK jwk : JWKSet.load(file.toFile()).getKeys()) {
                    if (!(jwk instanceof ECKey ec) || !ec.isPrivate()) {
                        throw new IllegalStateException(file + ": expected private EC keys only");
                    }
                    keys.add(ec);
                }
                if (keys.isEmpty()) {
                    throw new IllegalStateException(file + ": no keys");
                }
                return new GatehouseSigningKeys(file, keys);
            }
            GatehouseSigningKeys created = new GatehouseSigningKeys(file, List.of(generate()));
            created.save();
            return created;
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot read the issuer's signing keys at " + file + ": " + e.getMessage(), e);
        }
    }

    /** Keys held in memory only (tests, benchmarks). */
    public static GatehouseSigningKeys inMemory() {
        return new GatehouseSigningKeys(null, List.of(generate()));
    }

    /** The key that signs new tokens. */
    public ECKey active() {
        return keys.get(0);
    }

    /** The public keys that verify: the active one and up to two retired ones. */
    public JWKSet publicKeys() {
        return new JWKSet(keys.stream().map(k -> (JWK) k.toPublicJWK()).toList());
    }

    /**
     * Makes a new key active; the previous ones keep verifying tokens they signed (these live for minutes) until
     * pushed out by later rotations. Persists before returning.
     */
    public synchronized void rotate() {
        List<ECKey> next = new ArrayList<>();
        next.add(generate());
        next.addAll(keys.subList(0, Math.min(keys.size(), KEEP - 1)));
        keys = List.copyOf(next);
        if (file != null) {
            save();
        }
    }

    private void save() {
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir);
            setMode(dir, "rwx------");
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            setMode(tmp, "rw-------");
            Files.writeString(tmp, new JWKSet(List.copyOf(keys)).toString(false));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the issuer's signing keys to " + file, e);
        }
    }

    private static void setMode(Path path, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException ignored) {
            // non-POSIX file system: best effort
        }
    }

    private static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true).issueTime(java.util.Date.from(Instant.now())).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
    }
}
