package dev.gatehouse.audit.verify;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.audit.checkpoint.Checkpoint;
import dev.gatehouse.audit.checkpoint.CheckpointLog;
import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.checkpoint.PublicKeys;
import dev.gatehouse.audit.file.AuditLogReader;
import dev.gatehouse.audit.merkle.MerkleFrontier;
import dev.gatehouse.audit.merkle.MerkleHash;

/**
 * Re-checks, inside the running gateway, every new checkpoint against the events on disk: its signature, that it
 * only grows, and that the events hash to its root. Work is incremental (it hashes each event once). An
 * inconsistency raises an alert: an error log line, the {@link #failures()} counter (a metric), and
 * {@link #health()} turns bad with the reason until the gateway is restarted after an investigation.
 */
public final class BackgroundVerifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundVerifier.class);

    /** The verifier's verdict for health endpoints. */
    public record IntegrityHealth(boolean ok, String problem, long verifiedSize) {
    }

    private final Path directory;
    private MerkleFrontier frontier;
    private final AtomicLong failures = new AtomicLong();
    private final ScheduledExecutorService timer;
    private int checkpointsSeen;
    private long fileOffset;
    private long skipUpTo = -1;
    private volatile IntegrityHealth health = new IntegrityHealth(true, "", 0);

    public BackgroundVerifier(Path directory) {
        this.directory = directory;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                .name("audit-verifier").daemon(true).unstarted(r));
    }

    /** Checks every {@code interval} from now on. */
    public BackgroundVerifier start(Duration interval) {
        timer.scheduleWithFixedDelay(this::checkQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public IntegrityHealth health() {
        return health;
    }

    /** Inconsistencies found so far. */
    public long failures() {
        return failures.get();
    }

    /** Checks the checkpoints written since the last call (reading only the new part of the file). */
    public synchronized void check() throws IOException {
        if (!health.ok()) {
            return;
        }
        PublicKeys keys = KeyDirectory.in(directory).publicKeys();
        if (frontier == null && !start(keys)) {
            return;
        }
        CheckpointLog.Tail tail = CheckpointLog.readFrom(directory, fileOffset);
        fileOffset = tail.nextOffset();
        for (Checkpoint cp : tail.checkpoints()) {
            checkpointsSeen++;
            if (cp != null && cp.treeSize() <= skipUpTo) {
                continue;
            }
            skipUpTo = -1;
            String which = "checkpoint " + checkpointsSeen;
            if (cp == null || !keys.verifies(cp)) {
                alert(which + " does not verify with the log's public keys");
                return;
            }
            if (cp.treeSize() < frontier.size()) {
                alert(which + " (size " + cp.treeSize() + ") is smaller than one before it (" + frontier.size() + ")");
                return;
            }
            extendTo(cp.treeSize());
            if (frontier.size() < cp.treeSize()) {
                alert(which + " signed " + cp.treeSize() + " events but the log holds " + frontier.size());
                return;
            }
            if (!Arrays.equals(frontier.root(), cp.root())) {
                alert(which + " (size " + cp.treeSize() + ") does not match the events on disk");
                return;
            }
            health = new IntegrityHealth(true, "", cp.treeSize());
        }
    }

    /** Starts at the beginning of what the directory holds; checkpoints up to there are not re-checked. */
    private boolean start(PublicKeys keys) throws IOException {
        List<Checkpoint> all = CheckpointLog.read(directory);
        frontier = LogStart.frontier(directory, all.stream().filter(c -> c != null && keys.verifies(c)).toList());
        if (frontier == null) {
            alert("the log starts at position " + LogStart.firstPosition(directory)
                    + " and no checkpoint was signed there");
            return false;
        }
        skipUpTo = frontier.size();
        return true;
    }

    private void extendTo(long size) throws IOException {
        if (frontier.size() >= size) {
            return;
        }
        try (AuditLogReader reader = AuditLogReader.from(directory, frontier.size())) {
            while (frontier.size() < size && reader.hasNext()) {
                frontier.append(MerkleHash.leaf(reader.next().bytes()));
            }
        }
    }

    private void checkQuietly() {
        try {
            check();
        } catch (IOException | RuntimeException e) {
            LOG.warn("audit verifier: could not check {}: {}", directory, e.toString());
        }
    }

    private void alert(String problem) {
        failures.incrementAndGet();
        health = new IntegrityHealth(false, "audit log integrity: " + problem
                + "; run 'gatehouse audit verify " + directory + "'", health.verifiedSize());
        LOG.error("ALERT {}", health.problem());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
