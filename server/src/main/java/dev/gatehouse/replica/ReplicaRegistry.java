package dev.gatehouse.replica;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each replica's audit signing key, registered in the shared database at start, so two replicas never sign with
 * one key (a copied data directory, or one shared over a network file system). A replica has an id of its own,
 * kept in {@code <dataDir>/replica-id} (made at its first start); a key belongs to the replica that registered it.
 * A start is refused when the key is another replica's, or when the same replica runs on another host now (its
 * heartbeat is younger than {@link #LEASE}); on one host the audit log's directory lock already proves that an
 * earlier run ended, so a restart after a crash takes over at once.
 */
public final class ReplicaRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaRegistry.class);
    static final String ID_FILE = "replica-id";
    static final Duration LEASE = Duration.ofSeconds(20);
    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    private final SharedDatabase db;
    private final String keyId;
    private final String replicaId;
    private final String instance;
    private final Clock clock;
    private final ScheduledExecutorService heartbeat;

    private ReplicaRegistry(SharedDatabase db, String keyId, String replicaId, String instance, Clock clock) {
        this.db = db;
        this.keyId = keyId;
        this.replicaId = replicaId;
        this.instance = instance;
        this.clock = clock;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("gatehouse-replica-heartbeat").unstarted(r));
    }

    /**
     * Registers (or takes over) {@code keyId} for the replica of {@code dataDir} and starts the heartbeat.
     *
     * @throws IllegalStateException naming the other holder when the key is another replica's or in use elsewhere
     */
    public static ReplicaRegistry register(SharedDatabase db, Path dataDir, String keyId, Clock clock) {
        String replicaId = replicaId(dataDir);
        String host = hostName();
        String instance = random();
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                claim(c, keyId, replicaId, host, instance, dataDir.toAbsolutePath().toString(), clock.millis());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("store: cannot register this replica's signing key at "
                    + db.config().where() + ": " + SharedDatabase.firstLine(e), e);
        }
        ReplicaRegistry registry = new ReplicaRegistry(db, keyId, replicaId, instance, clock);
        registry.heartbeat.scheduleWithFixedDelay(registry::beat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("replica {} registered its audit signing key {} (host {})", replicaId, keyId, host);
        return registry;
    }

    private static void claim(Connection c, String keyId, String replicaId, String host, String instance,
                              String dataDir, long now) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO replicas (key_id, replica_id, host, instance,"
                + " data_dir, registered, seen) VALUES (?,?,?,?,?,?,?) ON CONFLICT (key_id) DO NOTHING")) {
            bind(insert, keyId, replicaId, host, instance, dataDir, now, now);
            if (insert.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement select = c.prepareStatement("SELECT replica_id, host, data_dir, seen FROM replicas"
                + " WHERE key_id = ? FOR UPDATE")) {
            select.setString(1, keyId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                String owner = rs.getString(1);
                String ownerHost = rs.getString(2);
                long seen = rs.getLong(4);
                if (!owner.equals(replicaId)) {
                    throw new IllegalStateException("store: the audit signing key " + keyId + " is registered to"
                            + " replica " + owner + " (host " + ownerHost + ", data directory " + rs.getString(3)
                            + "); each replica needs a data directory and key of its own (expected: never start a"
                            + " copy of another replica's data directory)");
                }
                long age = now - seen;
                if (!ownerHost.equals(host) && age < LEASE.toMillis()) {
                    throw new IllegalStateException("store: replica " + replicaId + " (signing key " + keyId
                            + ") is running on host " + ownerHost + " (heartbeat " + age + " ms ago); two copies of"
                            + " one replica never run at once (expected: stop it there, or wait " + LEASE + ")");
                }
            }
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE replicas SET host = ?, instance = ?, data_dir = ?,"
                + " seen = ? WHERE key_id = ?")) {
            bind(update, host, instance, dataDir, now, keyId);
            update.executeUpdate();
        }
    }

    private void beat() {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE replicas SET seen = ? WHERE key_id = ?"
                     + " AND instance = ?")) {
            bind(ps, clock.millis(), keyId, instance);
            if (ps.executeUpdate() == 0) {
                LOG.error("replica {}: signing key {} was taken over by another instance of this replica",
                        replicaId, keyId);
            }
        } catch (SQLException e) {
            LOG.warn("replica {}: heartbeat failed: {}", replicaId, SharedDatabase.firstLine(e));
        }
    }

    public String replicaId() {
        return replicaId;
    }

    /** The replica's id, made at its first start: 32 hex digits in {@code <dataDir>/replica-id}. */
    static String replicaId(Path dataDir) {
        Path file = dataDir.resolve(ID_FILE);
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                try {
                    Files.writeString(file, random() + "\n", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                            StandardOpenOption.SYNC);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another start made it first: read theirs
                }
            }
            String id = Files.readString(file).strip();
            if (!ID.matcher(id).matches()) {
                throw new IllegalStateException(file + ": \"" + id.substring(0, Math.min(id.length(), 40))
                        + "\" (expected: 32 hex digits, as Gatehouse writes it)");
            }
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the replica id in " + file, e);
        }
    }

    private static String random() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    /** Stops the heartbeat; the registration stays (the key remains this replica's). */
    @Override
    public void close() {
        heartbeat.shutdownNow();
    }
}
