package dev.gatehouse.replica;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.file.AuditLogReader;

/**
 * Feeds this replica's durable audit events into the shared index in PostgreSQL ({@code audit_index}), from the
 * position recorded for the replica ({@code audit_index_positions}), off the request path: a thread of its own
 * reads the local log every second. Rows and the new position are written in one transaction, so an event is
 * indexed once; when PostgreSQL is down the feed waits and catches up from its position when it is back (the
 * local log, the evidence, never waits for it). {@link #query} reads every replica's events.
 */
public final class SharedAuditIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedAuditIndex.class);
    private static final int BATCH = 1_000;

    private final SharedDatabase db;
    private final String replicaId;
    private final Path logDir;
    private final LongSupplier durable;
    private final ScheduledExecutorService thread;
    private volatile boolean failing;

    SharedAuditIndex(SharedDatabase db, String replicaId, Path logDir, LongSupplier durable) {
        this.db = db;
        this.replicaId = replicaId;
        this.logDir = logDir;
        this.durable = durable;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("gatehouse-shared-index").unstarted(r));
    }

    /** Starts feeding the log in {@code logDir}, whose durable size is {@code durable}, every {@code period}. */
    public static SharedAuditIndex start(SharedDatabase db, String replicaId, Path logDir, LongSupplier durable,
                                         java.time.Duration period) {
        SharedAuditIndex index = new SharedAuditIndex(db, replicaId, logDir, durable);
        index.thread.scheduleWithFixedDelay(index::feedQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return index;
    }

    private void feedQuietly() {
        try {
            feed();
            if (failing) {
                LOG.info("shared audit index: caught up again");
                failing = false;
            }
        } catch (SQLException | IOException | RuntimeException e) {
            if (!failing) {
                LOG.warn("shared audit index: feeding failed ({}); the local log is unaffected, retrying",
                        SharedDatabase.firstLine(e));
            }
            failing = true;
        }
    }

    /** Indexes what the log holds durably beyond the recorded position; returns the next position to index. */
    public long feed() throws SQLException, IOException {
        long next = position();
        long end = durable.getAsLong();
        while (next < end) {
            long after = batch(next, end);
            if (after == next) {
                break; // the log has nothing readable there yet: try again next time, never skip
            }
            next = after;
        }
        return next;
    }

    private long position() throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT next_seq FROM audit_index_positions"
                     + " WHERE replica_id = ?")) {
            ps.setString(1, replicaId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private long batch(long from, long end) throws SQLException, IOException {
        long next = from;
        try (Connection c = db.dataSource().getConnection(); AuditLogReader reader = AuditLogReader.from(logDir, from);
             PreparedStatement insert = c.prepareStatement("INSERT INTO audit_index (replica_id, seq, time, stage,"
                     + " cluster, username, verb, resource, namespace, name, decision, code, audit_id, event)"
                     + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING");
             PreparedStatement advance = c.prepareStatement("INSERT INTO audit_index_positions (replica_id, next_seq)"
                     + " VALUES (?, ?) ON CONFLICT (replica_id) DO UPDATE SET next_seq = EXCLUDED.next_seq"
                     + " WHERE audit_index_positions.next_seq = ?")) {
            c.setAutoCommit(false);
            int n = 0;
            while (n < BATCH && reader.hasNext()) {
                AuditLogReader.LogLine line = reader.next();
                if (line.position() >= end) {
                    break;
                }
                bind(insert, line);
                insert.addBatch();
                next = line.position() + 1;
                n++;
            }
            if (n == 0) {
                c.rollback();
                return from;
            }
            insert.executeBatch();
            advance.setString(1, replicaId);
            advance.setLong(2, next);
            advance.setLong(3, from);
            if (advance.executeUpdate() != 1) {
                c.rollback();
                throw new IllegalStateException("the recorded position of replica " + replicaId
                        + " moved meanwhile (another instance feeds it?)");
            }
            c.commit();
            return next;
        }
    }

    private void bind(PreparedStatement ps, AuditLogReader.LogLine line) throws SQLException {
        String text = new String(line.bytes(), StandardCharsets.UTF_8).strip();
        AuditEvent e;
        try {
            e = line.event();
        } catch (RuntimeException notAnEvent) {
            e = null; // indexed by position only; 'gatehouse audit verify' reports it
        }
        Object[] values = {replicaId, line.position(),
            e == null ? null : e.stageTimestamp(), e == null ? null : e.stage(),
            e == null || e.gatehouse() == null ? null : e.gatehouse().cluster(),
            e == null || e.user() == null ? null : e.user().username(), e == null ? null : e.verb(),
            e == null || e.objectRef() == null ? null : e.objectRef().resource(),
            e == null || e.objectRef() == null ? null : e.objectRef().namespace(),
            e == null || e.objectRef() == null ? null : e.objectRef().name(),
            e == null || e.gatehouse() == null ? null : e.gatehouse().decision(),
            e == null || e.responseStatus() == null ? null : e.responseStatus().code(),
            e == null ? null : e.auditID(), text};
        for (int i = 0; i < values.length; i++) {
            ps.setObject(i + 1, values[i]);
        }
    }

    /** One indexed event: which replica's log, its position there, and the event. */
    public record Hit(String replicaId, long seq, AuditEvent event) {
    }

    /**
     * Every replica's events with this audit id, or of this user (either may be null for any), newest first, at
     * most {@code limit}.
     */
    public List<Hit> query(String auditId, String user, int limit) throws SQLException {
        List<Hit> hits = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT replica_id, seq, event FROM audit_index"
                     + " WHERE (?::text IS NULL OR audit_id = ?) AND (?::text IS NULL OR username = ?)"
                     + " ORDER BY time DESC NULLS LAST, replica_id, seq DESC LIMIT ?")) {
            ps.setString(1, auditId);
            ps.setString(2, auditId);
            ps.setString(3, user);
            ps.setString(4, user);
            ps.setInt(5, Math.max(0, Math.min(limit, 10_000)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hits.add(new Hit(rs.getString(1), rs.getLong(2), AuditEventJson.parse(rs.getString(3))));
                }
            }
        }
        return hits;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
