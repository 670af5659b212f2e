package dev.gatehouse.audit.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.audit.AuditEvent;

/** The index's tables, its batched inserts, and the SQL for a query. */
final class IndexSchema {
    private IndexSchema() {
    }

    static void create(Statement s) throws SQLException {
        s.execute("""
                CREATE TABLE events (
                  seq INTEGER PRIMARY KEY, segment INTEGER NOT NULL, offset INTEGER NOT NULL, time TEXT,
                  cluster TEXT, user TEXT, actors TEXT, verb TEXT, resource TEXT, namespace TEXT, name TEXT,
                  decision TEXT, review_id TEXT, code INTEGER, audit_id TEXT)""");
        s.execute("CREATE TABLE event_groups (seq INTEGER NOT NULL, grp TEXT NOT NULL)");
        for (String column : new String[] {"time", "cluster", "user", "verb", "resource", "namespace", "name",
                "decision", "review_id", "code", "audit_id"}) {
            s.execute("CREATE INDEX events_" + column + " ON events(" + column + ")");
        }
        s.execute("CREATE INDEX event_groups_grp ON event_groups(grp, seq)");
    }

    /** Batched inserts of events and their groups. */
    static Inserts inserts(Connection db) throws SQLException {
        return new Inserts(db.prepareStatement("INSERT OR REPLACE INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
                db.prepareStatement("INSERT INTO event_groups VALUES (?,?)"));
    }

    /** Prepared inserts, executed as JDBC batches. */
    record Inserts(PreparedStatement events, PreparedStatement groups) implements AutoCloseable {
        void add(IndexedEvent e) throws SQLException {
            Object[] values = {e.seq(), e.segment(), e.offset(), e.time(), e.cluster(), e.user(), e.actors(),
                    e.verb(), e.resource(), e.namespace(), e.name(), e.decision(), e.reviewId(), e.code(),
                    e.auditId()};
            for (int i = 0; i < values.length; i++) {
                events.setObject(i + 1, values[i]);
            }
            events.addBatch();
            for (String g : e.groups()) {
                groups.setLong(1, e.seq());
                groups.setString(2, g);
                groups.addBatch();
            }
        }

        void flush() throws SQLException {
            events.executeBatch();
            groups.executeBatch();
        }

        @Override
        public void close() throws SQLException {
            events.close();
            groups.close();
        }
    }

    /** SQL selecting {@code seq, segment, offset} with its arguments. */
    record Select(String sql, List<Object> args) {
    }

    static Select select(AuditQuery q) {
        StringBuilder where = new StringBuilder(" WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (q.from() != null) {
            where.append(" AND time >= ?");
            args.add(AuditEvent.timestamp(q.from()));
        }
        if (q.to() != null) {
            where.append(" AND time < ?");
            args.add(AuditEvent.timestamp(q.to()));
        }
        equal(where, args, "cluster", q.cluster());
        equal(where, args, "user", q.user());
        equal(where, args, "verb", q.verb());
        equal(where, args, "resource", q.resource());
        equal(where, args, "namespace", q.namespace());
        equal(where, args, "name", q.name());
        equal(where, args, "decision", q.decision());
        equal(where, args, "review_id", q.reviewId());
        equal(where, args, "code", q.code());
        if (q.group() != null) {
            where.append(" AND seq IN (SELECT seq FROM event_groups WHERE grp = ?)");
            args.add(q.group());
        }
        if (q.actor() != null) {
            where.append(" AND actors LIKE ? ESCAPE '\\'");
            args.add("%," + q.actor().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ",%");
        }
        String sql = "SELECT seq, segment, offset FROM events" + where + " ORDER BY seq "
                + (q.newestFirst() ? "DESC" : "ASC") + " LIMIT " + q.limit();
        return new Select(sql, args);
    }

    private static void equal(StringBuilder where, List<Object> args, String column, Object value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }
}
