package dev.gatehouse.mask;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The masker's HMAC keys under {@code <dataDir>/mask/keys/}: one {@code <id>.key} file per key (0600, raw bytes) and
 * {@code current}, the id of the key new markers use. The first start generates a key; {@link #rotate()} adds one and
 * makes it current, keeping the old ones so markers written under them can still be checked. Reads and writes files:
 * call it at start-up or off the event loop.
 */
public final class MaskKeys {
    private static final Pattern KEY_FILE = Pattern.compile("[0-9a-f]{8}\\.key");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path dir;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, MaskKey> keys = new LinkedHashMap<>();
    private volatile MaskKey current;

    private MaskKeys(Path dir) {
        this.dir = dir;
    }

    /** Loads the keys under {@code <dataDir>/mask/keys/}, generating the first one if there is none. */
    public static MaskKeys open(Path dataDir) {
        MaskKeys keys = new MaskKeys(dataDir.resolve("mask").resolve("keys"));
        try {
            Files.createDirectories(keys.dir);
            keys.load();
            if (keys.current == null) {
                keys.rotate();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("mask keys in " + keys.dir + ": " + e.getMessage(), e);
        }
        return keys;
    }

    /**
     * Loads the keys under {@code <dataDir>/mask/keys/} to check markers, generating nothing; fails when there are
     * none (a data directory no gateway has masked with).
     */
    public static MaskKeys existing(Path dataDir) {
        MaskKeys keys = new MaskKeys(dataDir.resolve("mask").resolve("keys"));
        try {
            keys.load();
        } catch (IOException e) {
            throw new UncheckedIOException("mask keys in " + keys.dir + ": " + e.getMessage(), e);
        }
        if (keys.keys.isEmpty()) {
            throw new IllegalArgumentException("no mask keys in " + keys.dir
                    + " (expected: the data directory of a gateway that masked the record)");
        }
        return keys;
    }

    /** The key new markers are made with. */
    public MaskKey current() {
        return current;
    }

    /** The key with this id, current or retired. */
    public synchronized Optional<MaskKey> key(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    /** Every key kept, oldest first. */
    public synchronized Map<String, MaskKey> all() {
        return Map.copyOf(keys);
    }

    /**
     * Generates a new key and makes it current; old keys stay for checks. The caller records the rotation as an audit
     * event.
     *
     * @return the new key's id
     */
    public synchronized String rotate() {
        return rotate(id -> { });
    }

    /**
     * Generates a new key, tells {@code record} its id — which records the rotation (an audit event, durable) and
     * may refuse by throwing — and only then makes it current: no marker is made with a key whose rotation is not on
     * record. When {@code record} throws, the new key is deleted and the current one stays.
     *
     * @return the new key's id
     */
    public synchronized String rotate(java.util.function.Consumer<String> record) {
        byte[] bytes = new byte[MaskKey.LENGTH];
        random.nextBytes(bytes);
        MaskKey key = MaskKey.of(bytes);
        Path file = dir.resolve(key.id() + ".key");
        try {
            writeOwnerOnly(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("rotating the mask key in " + dir + ": " + e.getMessage(), e);
        }
        try {
            record.accept(key.id());
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a key file nobody names as current is never used
            }
            throw e;
        }
        try {
            Path tmp = dir.resolve("current.tmp");
            Files.deleteIfExists(tmp);
            writeOwnerOnly(tmp, (key.id() + "\n").getBytes(StandardCharsets.US_ASCII));
            move(tmp, dir.resolve("current"));
        } catch (IOException e) {
            throw new UncheckedIOException("rotating the mask key in " + dir + ": " + e.getMessage(), e);
        }
        keys.put(key.id(), key);
        current = key;
        return key.id();
    }

    private void load() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                if (KEY_FILE.matcher(file.getFileName().toString()).matches()) {
                    MaskKey key = MaskKey.of(Files.readAllBytes(file));
                    String expected = file.getFileName().toString().substring(0, 8);
                    if (!key.id().equals(expected)) {
                        throw new IOException(file + ": the key's id is " + key.id() + " (expected: " + expected
                                + ", its file name)");
                    }
                    keys.put(key.id(), key);
                }
            }
        }
        Path currentFile = dir.resolve("current");
        if (Files.exists(currentFile)) {
            String id = Files.readString(currentFile).trim();
            current = keys.get(id);
            if (current == null) {
                throw new IOException(currentFile + " names key " + id + " (expected: one of " + keys.keySet() + ")");
            }
        } else if (!keys.isEmpty()) {
            throw new IOException(currentFile + " is missing (expected: the id of one of " + keys.keySet() + ")");
        }
    }

    private static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " already exists (expected: a new file)", e);
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.write(file, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.SYNC);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
