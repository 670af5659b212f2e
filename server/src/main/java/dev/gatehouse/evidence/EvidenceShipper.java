package dev.gatehouse.evidence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.file.Segment;

/**
 * Ships a replica's evidence to object storage, asynchronously and resumably: one thread ("evidence-shipper")
 * looks every {@code interval} for what {@link EvidenceLayout} says is shippable and the {@link ShippedCursor}
 * has not recorded, and uploads it in order. An object already in the store with the same SHA-256 is recorded as
 * shipped; one with different bytes is never overwritten — shipping stops there with an error naming the key. Any
 * failure (the store unreachable, a refusal) leaves the evidence local and retries with exponential backoff
 * (1 s doubling to 5 min); {@link #status()} says how far behind it is.
 */
public final class EvidenceShipper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EvidenceShipper.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    /**
     * How far behind shipping is.
     *
     * @param unshippedObjects objects shippable but not shipped
     * @param unshippedBytes   their bytes
     * @param oldest           the modification time of the oldest of them, or null when nothing waits
     * @param shippedObjects   objects shipped by this process
     * @param failures         failed attempts since start
     * @param lastError        the last attempt's error, or null when it succeeded
     */
    public record Status(long unshippedObjects, long unshippedBytes, Instant oldest, long shippedObjects,
                         long failures, String lastError) {
        /** Seconds since the oldest unshipped evidence was written (0 when nothing waits). */
        public double oldestAgeSeconds(Instant now) {
            return oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toMillis() / 1000.0);
        }
    }

    private final ObjectStore store;
    private final ObjectStoreConfig config;
    private final EvidenceLayout layout;
    private final ShippedCursor cursor;
    private final String replicaPrefix;
    private final Clock clock;
    private final AtomicLong shipped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final ScheduledExecutorService thread;
    private volatile Status status = new Status(0, 0, null, 0, 0, null);
    private int consecutiveFailures;

    private EvidenceShipper(ObjectStore store, ObjectStoreConfig config, EvidenceLayout layout, ShippedCursor cursor,
                            String replica, Clock clock) {
        this.store = store;
        this.config = config;
        this.layout = layout;
        this.cursor = cursor;
        this.replicaPrefix = config.keyPrefix() + replica + "/";
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("evidence-shipper")
                .daemon(true).unstarted(r));
    }

    /**
     * Opens the cursor in {@code <dataDir>/evidence} and settles the replica name (see {@link #replicaName}); does
     * not start shipping ({@link #start()}).
     */
    public static EvidenceShipper open(ObjectStore store, ObjectStoreConfig config, Path dataDir, Path logDir,
                                       Clock clock) throws IOException {
        Path dir = dataDir.resolve("evidence");
        String replica = replicaName(config, dir, logDir);
        EvidenceLayout layout = new EvidenceLayout(logDir, dataDir.resolve("sessions"), dir.resolve("outbox"));
        return new EvidenceShipper(store, config, layout, ShippedCursor.open(dir.resolve("shipped.jsonl")), replica,
                clock);
    }

    /**
     * The name this data directory ships under, fixed at its first start in {@code <dataDir>/evidence/replica}:
     * {@code evidence.objectStore.replica}, else the log's signing key id at that time (each log generates its own
     * key, so two logs never share a name). A configured name that differs from the recorded one is an error: the
     * log would continue under another prefix and neither would verify as a whole.
     */
    static String replicaName(ObjectStoreConfig config, Path evidenceDir, Path logDir) throws IOException {
        Path file = evidenceDir.resolve("replica");
        if (Files.exists(file)) {
            String recorded = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (config.replica() != null && !config.replica().equals(recorded)) {
                throw new IOException("evidence.objectStore.replica: \"" + config.replica() + "\" but this data "
                        + "directory has shipped as \"" + recorded + "\" (" + file + "); a log keeps one name");
            }
            return recorded;
        }
        String name = config.replica();
        if (name == null) {
            Path active = KeyDirectory.in(logDir).path().resolve("active");
            if (!Files.exists(active)) {
                throw new IOException("evidence shipping: the audit log has no signing key yet (" + active + ")");
            }
            name = Files.readString(active, StandardCharsets.UTF_8).strip();
        }
        if (!ObjectStoreConfig.REPLICA.matcher(name).matches()) {
            throw new IOException("evidence shipping: \"" + name + "\" is not a usable replica name");
        }
        Files.createDirectories(evidenceDir);
        Path tmp = evidenceDir.resolve("replica.tmp");
        Files.writeString(tmp, name + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return name;
    }

    /** Starts the shipping thread: a first pass now, then every {@code interval} (longer after failures). */
    public EvidenceShipper start() {
        thread.execute(this::passAndReschedule);
        return this;
    }

    /** {@code <prefix>/<replica>/}: where this replica's objects go. */
    public String replicaPrefix() {
        return replicaPrefix;
    }

    public Status status() {
        return status;
    }

    /**
     * True when {@code segment} (ending before position {@code end}) and its checkpoints are in the store:
     * retention deletes a local segment only then.
     */
    public boolean shipped(Segment segment, long end) {
        return cursor.contains(replicaPrefix + EvidenceLayout.segmentKey(segment))
                && cursor.contains(replicaPrefix + EvidenceLayout.checkpointsKey(end));
    }

    /**
     * A problem for {@code /healthz} when the oldest unshipped evidence is older than
     * {@code evidence.objectStore.alertAfter}; "" otherwise.
     */
    public String problem() {
        Status s = status;
        Instant now = clock.instant();
        if (s.oldest() == null || Duration.between(s.oldest(), now).compareTo(config.alertAfter()) <= 0) {
            return "";
        }
        return "evidence shipping to " + config.url() + " is behind: " + s.unshippedObjects() + " object(s), "
                + s.unshippedBytes() + " bytes unshipped, the oldest written " + (long) s.oldestAgeSeconds(now)
                + " s ago" + (s.lastError() == null ? "" : "; last error: " + s.lastError());
    }

    private void passAndReschedule() {
        Duration next = config.interval();
        try {
            shipPass();
            consecutiveFailures = 0;
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            consecutiveFailures++;
            long backoffMs = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(20, consecutiveFailures - 1));
            next = Duration.ofMillis(backoffMs);
            Status s = status;
            status = new Status(s.unshippedObjects(), s.unshippedBytes(), s.oldest(), shipped.get(), failures.get(),
                    e.getMessage());
            LOG.warn("evidence shipping to {}: {} (retrying in {} ms; the evidence stays local meanwhile)",
                    config.url(), e.getMessage(), next.toMillis());
        }
        if (!thread.isShutdown()) {
            try {
                thread.schedule(this::passAndReschedule, next.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** One pass: ships everything pending, in order; throws at the first failure (later items wait). */
    public void shipPass() throws IOException {
        List<EvidenceLayout.Item> items = layout.items();
        refreshStatus(items, null);
        for (EvidenceLayout.Item item : items) {
            String key = replicaPrefix + item.key();
            if (cursor.contains(key)) {
                continue;
            }
            ship(key, item.file());
            refreshStatus(items, null);
        }
    }

    private void ship(String key, Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String sha256 = HexFormat.of().formatHex(sha256(bytes));
        Optional<ObjectStore.Stored> existing = store.head(key);
        if (existing.isPresent()) {
            ObjectStore.Stored o = existing.get();
            if (o.size() != bytes.length || !sha256.equals(o.sha256())) {
                throw new IOException(config.url() + ": " + key + " already holds different bytes (size " + o.size()
                        + ", sha256 " + o.sha256() + "; local " + file + ": size " + bytes.length + ", sha256 "
                        + sha256 + "); not overwriting evidence — is another replica shipping under the same name?");
            }
        } else {
            store.put(key, file, sha256);
        }
        cursor.add(new ShippedCursor.Entry(key, bytes.length, sha256));
        shipped.incrementAndGet();
    }

    private void refreshStatus(List<EvidenceLayout.Item> items, String error) throws IOException {
        long objects = 0;
        long bytes = 0;
        Instant oldest = null;
        for (EvidenceLayout.Item item : items) {
            if (cursor.contains(replicaPrefix + item.key())) {
                continue;
            }
            objects++;
            bytes += Files.size(item.file());
            Instant t = Files.getLastModifiedTime(item.file()).toInstant();
            oldest = oldest == null || t.isBefore(oldest) ? t : oldest;
        }
        status = new Status(objects, bytes, oldest, shipped.get(), failures.get(), error);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the thread (an upload in progress finishes or fails; the cursor is durable after each object). */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("evidence shipping: an upload was still running at close; it is retried at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            cursor.close();
        } catch (IOException e) {
            LOG.warn("evidence shipping: closing the cursor: {}", e.getMessage());
        }
        store.close();
    }
}
