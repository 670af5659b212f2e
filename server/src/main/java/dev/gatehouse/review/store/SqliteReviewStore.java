package dev.gatehouse.review.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;

import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;

/**
 * The review store in one SQLite file, {@code <dir>/reviews.sqlite} (WAL), the embedded default for one node. The
 * schema is migrated by Flyway from {@code db/reviews/V*__*.sql} at open; the SQL is {@link JdbcReviewStore}'s.
 * One connection, its use serialized; writes are IMMEDIATE transactions, so two processes sharing the file (two
 * gateways on one host, or tests) serialize their writes and compare-and-set holds across them.
 */
public final class SqliteReviewStore extends JdbcReviewStore {
    /** The file's name in its directory. */
    public static final String FILE = "reviews.sqlite";

    private final Path file;
    private final Connection db;

    private SqliteReviewStore(Path file, Connection db, Clock clock) {
        super(clock);
        this.file = file;
        this.db = db;
    }

    /** Opens (creating and migrating as needed) {@code dir/reviews.sqlite}. */
    public static SqliteReviewStore open(Path dir) throws IOException {
        return open(dir, Clock.systemUTC());
    }

    /** As {@link #open(Path)}, stamping writes with {@code clock} (for {@link #undoAbandoned}). */
    public static SqliteReviewStore open(Path dir, Clock clock) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE).toAbsolutePath();
        String url = "jdbc:sqlite:" + file;
        try {
            migrate(url);
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(10_000);
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            return new SqliteReviewStore(file, config.createConnection(url), clock);
        } catch (SQLException | RuntimeException e) {
            throw new IOException("cannot open the review store " + file + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(String url) {
        Flyway.configure(SqliteReviewStore.class.getClassLoader())
                .dataSource(url, "", "")
                .locations("classpath:db/reviews")
                .table("schema_version")
                .loggers("slf4j")
                .load()
                .migrate();
    }

    /** Where the store's file is. */
    public Path file() {
        return file;
    }

    @Override
    synchronized <T> T transaction(Work<T> work) {
        try {
            db.setAutoCommit(false);
            try {
                T result = work.run(db);
                db.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    synchronized <T> T read(Work<T> work) {
        try {
            return work.run(db);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private IllegalStateException failed(SQLException e) {
        return new IllegalStateException("review store " + file + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw failed(e);
        }
    }
}
