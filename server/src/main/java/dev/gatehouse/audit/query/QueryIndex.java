package dev.gatehouse.audit.query;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.file.AuditLogReader;
import dev.gatehouse.audit.file.Segment;

/**
 * The SQLite index of a log directory. {@link #catchUp()} indexes the events after the last indexed position;
 * an index that is missing, unreadable, from another schema version, or ahead of the log is rebuilt from the log.
 * Queries select positions in SQL and read the events back from the segment files.
 */
public final class QueryIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryIndex.class);
    private static final int SCHEMA_VERSION = 1;
    private static final int BATCH = 10_000;

    private final Path logDir;
    private final Path dbFile;
    private Connection db;

    private QueryIndex(Path logDir, Path dbFile) {
        this.logDir = logDir;
        this.dbFile = dbFile;
    }

    /** Opens (creating or rebuilding as needed) the index {@code dbFile} of the log in {@code logDir}. */
    public static QueryIndex open(Path logDir, Path dbFile) throws IOException {
        QueryIndex index = new QueryIndex(logDir, dbFile);
        try {
            index.connect();
        } catch (SQLException e) {
            LOG.warn("audit index {} is unreadable ({}); rebuilding it from the log", dbFile, e.getMessage());
            index.rebuild();
        }
        return index;
    }

    /** The default index file of a log directory. */
    public static Path defaultFile(Path logDir) {
        return logDir.resolve("query-index.sqlite");
    }

    private void connect() throws SQLException, IOException {
        Files.createDirectories(dbFile.toAbsolutePath().getParent());
        db = DriverManager.getConnection("jdbc:sqlite:" + dbFile.toAbsolutePath());
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            int version;
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            if (version == 0) {
                IndexSchema.create(s);
                s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
            } else if (version != SCHEMA_VERSION) {
                throw new SQLException("schema version " + version + " (expected: " + SCHEMA_VERSION + ")");
            }
        }
    }

    private void rebuild() throws IOException {
        closeQuietly();
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(Path.of(dbFile + suffix));
        }
        try {
            connect();
        } catch (SQLException e) {
            throw new IOException("cannot create the audit index " + dbFile + ": " + e.getMessage(), e);
        }
    }

    /** Indexes what the log holds beyond the index; returns how many events the index now covers. */
    public synchronized long catchUp() throws IOException {
        try {
            long next = indexedUpTo();
            if (next > 0 && !stillMatchesLog(next - 1)) {
                LOG.warn("audit index {} does not match the log; rebuilding it", dbFile);
                rebuild();
                next = 0;
            }
            return index(next);
        } catch (SQLException e) {
            throw new IOException("audit index " + dbFile + ": " + e.getMessage(), e);
        }
    }

    private long indexedUpTo() throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT max(seq) FROM events")) {
            rs.next();
            long max = rs.getLong(1);
            return rs.wasNull() ? 0 : max + 1;
        }
    }

    private boolean stillMatchesLog(long seq) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT segment, offset, audit_id FROM events WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                AuditEvent e = readAt(rs.getLong(1), rs.getLong(2));
                return e != null && rs.getString(3) != null && rs.getString(3).equals(e.auditID());
            }
        }
    }

    private long index(long from) throws IOException, SQLException {
        long next = from;
        db.setAutoCommit(false);
        try (AuditLogReader reader = AuditLogReader.from(logDir, from); IndexSchema.Inserts inserts =
                IndexSchema.inserts(db)) {
            int inBatch = 0;
            while (reader.hasNext()) {
                AuditLogReader.LogLine line = reader.next();
                AuditEvent event;
                try {
                    event = line.event();
                } catch (RuntimeException e) {
                    LOG.warn("audit index: position {} is not an event; skipped (run 'gatehouse audit verify')",
                            line.position());
                    next = line.position() + 1;
                    continue;
                }
                inserts.add(IndexedEvent.of(line.position(), line.segment().firstSeq(), line.offset(), event));
                next = line.position() + 1;
                if (++inBatch == BATCH) {
                    inserts.flush();
                    db.commit();
                    inBatch = 0;
                }
            }
            inserts.flush();
            db.commit();
        } finally {
            db.setAutoCommit(true);
        }
        return next;
    }

    /** The events matching {@code query}, read from the log. Call {@link #catchUp()} first for fresh results. */
    public synchronized List<AuditEvent> query(AuditQuery query) throws IOException {
        IndexSchema.Select select = IndexSchema.select(query);
        List<AuditEvent> events = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(select.sql())) {
            for (int i = 0; i < select.args().size(); i++) {
                ps.setObject(i + 1, select.args().get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AuditEvent e = readAt(rs.getLong(2), rs.getLong(3));
                    if (e != null) {
                        events.add(e);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IOException("audit index query failed: " + e.getMessage(), e);
        }
        return events;
    }

    private AuditEvent readAt(long segment, long offset) {
        Path file = Segment.in(logDir, segment).path();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(8192);
            long pos = offset;
            while (true) {
                int n = ch.read(buf, pos + buf.position());
                for (int i = 0; i < buf.position(); i++) {
                    if (buf.get(i) == '\n') {
                        return AuditEventJson.fromBytes(java.util.Arrays.copyOf(buf.array(), i));
                    }
                }
                if (n <= 0) {
                    return null;
                }
                if (!buf.hasRemaining()) {
                    buf = ByteBuffer.allocate(buf.capacity() * 2).put(buf.flip());
                }
            }
        } catch (IOException e) {
            return null;
        }
    }

    private void closeQuietly() {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // being replaced
            }
            db = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
