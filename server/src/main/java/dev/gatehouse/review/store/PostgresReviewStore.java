package dev.gatehouse.review.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;

import dev.gatehouse.replica.ChangeNotifications;
import dev.gatehouse.replica.SharedDatabase;

/**
 * The review store the replicas share, in PostgreSQL ({@code store: kind: postgres}): {@link JdbcReviewStore}'s
 * SQL over a {@link SharedDatabase}'s pool, each call on a connection of its own (READ COMMITTED; the sequence
 * row's lock orders the writes). A settle notifies the other replicas in its transaction, so they learn of it
 * when it commits. Any database failure is a 503 that names the store: no review step and no grant check
 * succeeds without it.
 */
public final class PostgresReviewStore extends JdbcReviewStore {
    private final SharedDatabase db;

    public PostgresReviewStore(SharedDatabase db, Clock clock) {
        super(clock);
        this.db = db;
    }

    @Override
    <T> T transaction(Work<T> work) {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw db.unavailable("the review or grant change", e);
        }
    }

    @Override
    <T> T read(Work<T> work) {
        try (Connection c = db.dataSource().getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw db.unavailable("reading reviews and grants", e);
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the pool drops it and the transaction ends with it
        }
    }

    @Override
    void settling(Connection c, long seq) throws SQLException {
        db.notify(c, ChangeNotifications.Topic.REVIEWS, Long.toString(seq));
    }

    @Override
    public void onChange(Runnable listener) {
        db.notifications().listen(ChangeNotifications.Topic.REVIEWS, payload -> listener.run());
    }

    /** The database is the {@link SharedDatabase}'s: closed by its owner. */
    @Override
    public void close() {
    }
}
