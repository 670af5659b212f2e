package dev.gatehouse.review.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;

import dev.gatehouse.review.Grant;
import dev.gatehouse.review.Review;
import dev.gatehouse.review.ReviewState;
import dev.gatehouse.review.ReviewStore;

/**
 * The review store in one SQLite file, {@code <dir>/reviews.sqlite} (WAL): one table of reviews and grants with
 * the columns the lookups need and the value as JSON, and a one-row change sequence. The schema is migrated by
 * Flyway from {@code db/reviews/V*__*.sql} at open. One connection, its use serialized; writes are IMMEDIATE
 * transactions, so two processes sharing the file (two gateways on one host, or tests) serialize their writes and
 * compare-and-set holds across them.
 */
public final class SqliteReviewStore implements ReviewStore {
    /** The file's name in its directory. */
    public static final String FILE = "reviews.sqlite";
    static final String KIND_REVIEW = "review";
    static final String KIND_GRANT = "grant";

    private final Path file;
    private final Connection db;
    private final Clock clock;

    private SqliteReviewStore(Path file, Connection db, Clock clock) {
        this.file = file;
        this.db = db;
        this.clock = clock;
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
    public synchronized boolean createReview(Review r) {
        return write(() -> insert(r.id(), KIND_REVIEW, r.state(), r.requester().user(), r.request().fingerprint(),
                r.created(), r.expires(), r.validUntil(), r.version(), ReviewJson.write(r)));
    }

    @Override
    public synchronized boolean createGrant(Grant g) {
        return write(() -> insert(g.id(), KIND_GRANT, g.state(), g.requester().user(), null, g.created(), g.expires(),
                g.validUntil(), g.version(), ReviewJson.write(g)));
    }

    @Override
    public synchronized boolean updateReview(Review r, long expectedVersion) {
        return write(() -> update(r.id(), KIND_REVIEW, r.state(), r.validUntil(), r.expires(), r.version(),
                expectedVersion, ReviewJson.write(r), false));
    }

    @Override
    public synchronized boolean undoReview(Review r, long unsettledVersion) {
        return write(() -> update(r.id(), KIND_REVIEW, r.state(), r.validUntil(), r.expires(), r.version(),
                unsettledVersion, ReviewJson.write(r), true));
    }

    @Override
    public synchronized boolean updateGrant(Grant g, long expectedVersion) {
        return write(() -> update(g.id(), KIND_GRANT, g.state(), g.validUntil(), g.expires(), g.version(),
                expectedVersion, ReviewJson.write(g), false));
    }

    @Override
    public synchronized boolean undoGrant(Grant g, long unsettledVersion) {
        return write(() -> update(g.id(), KIND_GRANT, g.state(), g.validUntil(), g.expires(), g.version(),
                unsettledVersion, ReviewJson.write(g), true));
    }

    @Override
    public synchronized boolean settleReview(String id, long version) {
        return write(() -> settle(id, KIND_REVIEW, version));
    }

    @Override
    public synchronized boolean settleGrant(String id, long version) {
        return write(() -> settle(id, KIND_GRANT, version));
    }

    @Override
    public synchronized boolean discardReview(String id, long version) {
        return write(() -> discard(id, KIND_REVIEW, version));
    }

    @Override
    public synchronized boolean discardGrant(String id, long version) {
        return write(() -> discard(id, KIND_GRANT, version));
    }

    @Override
    public synchronized Optional<Review> review(String id) {
        return query("SELECT value FROM records WHERE kind = 'review' AND id = ?", ReviewJson::review, id)
                .stream().findFirst();
    }

    @Override
    public synchronized Optional<Grant> grant(String id) {
        return query("SELECT value FROM records WHERE kind = 'grant' AND id = ?", ReviewJson::grant, id)
                .stream().findFirst();
    }

    @Override
    public synchronized List<Review> reviews(ReviewState state, int limit) {
        return list(KIND_REVIEW, state, limit, ReviewJson::review);
    }

    @Override
    public synchronized List<Grant> grants(ReviewState state, int limit) {
        return list(KIND_GRANT, state, limit, ReviewJson::grant);
    }

    private <T> List<T> list(String kind, ReviewState state, int limit, Function<String, T> decode) {
        int bounded = Math.max(0, Math.min(limit, 10_000));
        return state == null
                ? query("SELECT value FROM records WHERE kind = ? ORDER BY created DESC, id LIMIT ?", decode, kind,
                        bounded)
                : query("SELECT value FROM records WHERE kind = ? AND state = ? ORDER BY created DESC, id LIMIT ?",
                        decode, kind, state.wireName(), bounded);
    }

    @Override
    public synchronized boolean reviewSettled(String id, long version) {
        return !query("SELECT 'y' FROM records WHERE kind = 'review' AND id = ? AND version = ? AND settled = 1",
                String::valueOf, id, version).isEmpty();
    }

    @Override
    public synchronized Optional<Review> pendingReview(String requesterUser, String fingerprint) {
        return query("SELECT value FROM records WHERE kind = 'review' AND fingerprint = ? AND state = 'pending'"
                + " AND requester = ? ORDER BY created DESC LIMIT 1", ReviewJson::review, fingerprint, requesterUser)
                .stream().findFirst();
    }

    @Override
    public synchronized List<Review> approvedReviews(String fingerprint, Instant now) {
        return query("SELECT value FROM records WHERE kind = 'review' AND fingerprint = ? AND state = 'approved'"
                + " AND settled = 1 AND valid_until > ? ORDER BY created DESC", ReviewJson::review, fingerprint,
                now.toEpochMilli());
    }

    @Override
    public synchronized List<Review> pendingReviewsExpiredAt(Instant now) {
        return query("SELECT value FROM records WHERE kind = 'review' AND state = 'pending' AND expires <= ?"
                + " LIMIT 1000", ReviewJson::review, now.toEpochMilli());
    }

    @Override
    public synchronized List<Grant> approvedGrants(String requesterUser, Instant now) {
        return query("SELECT value FROM records WHERE kind = 'grant' AND requester = ? AND state = 'approved'"
                + " AND settled = 1 AND valid_until > ? ORDER BY created", ReviewJson::grant, requesterUser,
                now.toEpochMilli());
    }

    @Override
    public synchronized List<Grant> grantsExpiredAt(Instant now) {
        long at = now.toEpochMilli();
        return query("SELECT value FROM records WHERE kind = 'grant' AND ((state = 'pending' AND expires <= ?)"
                + " OR (state = 'approved' AND valid_until <= ?)) LIMIT 1000", ReviewJson::grant, at, at);
    }

    @Override
    public synchronized int undoAbandoned(Instant writtenBefore) {
        List<String[]> abandoned = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT id, kind, version, previous FROM records"
                + " WHERE settled = 0 AND written < ? LIMIT 1000")) {
            ps.setLong(1, writtenBefore.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    abandoned.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        int undone = 0;
        for (String[] a : abandoned) {
            if (undoOne(a[0], a[1], Long.parseLong(a[2]), a[3])) {
                undone++;
            }
        }
        return undone;
    }

    private boolean undoOne(String id, String kind, long version, String previous) {
        if (previous == null) {
            return KIND_REVIEW.equals(kind) ? discardReview(id, version) : discardGrant(id, version);
        }
        if (KIND_REVIEW.equals(kind)) {
            Review p = ReviewJson.review(previous);
            return undoReview(new Review(p.id(), p.state(), p.requester(), p.request(), p.rule(), p.reason(),
                    p.requirement(), p.verdicts(), p.created(), p.expires(), p.validUntil(), version + 1), version);
        }
        Grant p = ReviewJson.grant(previous);
        return undoGrant(new Grant(p.id(), p.state(), p.requester(), p.scope(), p.duration(), p.reason(),
                p.requirement(), p.verdicts(), p.created(), p.expires(), p.validUntil(), p.revokedBy(), version + 1),
                version);
    }

    @Override
    public synchronized long lastChange() {
        return query("SELECT value FROM change_sequence WHERE id = 1", Long::parseLong).getFirst();
    }

    @Override
    public synchronized Changes changedSince(long seq) {
        List<Review> reviews = new ArrayList<>();
        List<Grant> grants = new ArrayList<>();
        long[] last = {seq};
        try (PreparedStatement ps = db.prepareStatement("SELECT kind, value, change_seq FROM records"
                + " WHERE change_seq > ? AND settled = 1 ORDER BY change_seq LIMIT 1000")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (KIND_REVIEW.equals(rs.getString(1))) {
                        reviews.add(ReviewJson.review(rs.getString(2)));
                    } else {
                        grants.add(ReviewJson.grant(rs.getString(2)));
                    }
                    last[0] = rs.getLong(3);
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return new Changes(last[0], reviews, grants);
    }

    private boolean insert(String id, String kind, ReviewState state, String requester, String fingerprint,
                        Instant created, Instant expires, Instant validUntil, long version, String json)
            throws SQLException {
        long seq = nextSeq();
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO records (id, kind, state, requester,"
                + " fingerprint, created, expires, valid_until, version, change_seq, settled, value, written)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,0,?,?) ON CONFLICT DO NOTHING")) {
            bind(ps, id, kind, state.wireName(), requester, fingerprint, created.toEpochMilli(),
                    expires.toEpochMilli(), millis(validUntil), version, seq, json, clock.millis());
            return ps.executeUpdate() == 1;
        }
    }

    private boolean update(String id, String kind, ReviewState state, Instant validUntil, Instant expires,
                           long version, long expected, String json, boolean undo) throws SQLException {
        if (version <= expected) {
            throw new IllegalArgumentException("version: " + version + " (expected: > " + expected + ")");
        }
        long seq = nextSeq();
        // a step builds on a settled value only; an undo overwrites an unsettled one and settles the previous value
        // previous = value: SQLite reads the row's old value on the right-hand side
        try (PreparedStatement ps = db.prepareStatement("UPDATE records SET state = ?, valid_until = ?, expires = ?,"
                + " version = ?, change_seq = ?, settled = ?, previous = CASE WHEN ? THEN NULL ELSE value END,"
                + " value = ?, written = ? WHERE id = ? AND kind = ? AND version = ? AND settled = ?")) {
            bind(ps, state.wireName(), millis(validUntil), expires.toEpochMilli(), version, seq, undo ? 1 : 0, undo,
                    json, clock.millis(), id, kind, expected, undo ? 0 : 1);
            return ps.executeUpdate() == 1;
        }
    }

    private boolean settle(String id, String kind, long version) throws SQLException {
        long seq = nextSeq();
        try (PreparedStatement ps = db.prepareStatement("UPDATE records SET settled = 1, previous = NULL,"
                + " change_seq = ?"
                + " WHERE id = ? AND kind = ? AND version = ?")) {
            bind(ps, seq, id, kind, version);
            return ps.executeUpdate() == 1;
        }
    }

    private boolean discard(String id, String kind, long version) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM records WHERE id = ? AND kind = ?"
                + " AND version = ? AND settled = 0")) {
            bind(ps, id, kind, version);
            return ps.executeUpdate() == 1;
        }
    }

    private long nextSeq() throws SQLException {
        try (PreparedStatement bump = db.prepareStatement(
                "UPDATE change_sequence SET value = value + 1 WHERE id = 1 RETURNING value");
             ResultSet rs = bump.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One IMMEDIATE transaction: committed when {@code work} returns, rolled back when it throws. */
    private <T> T write(Work<T> work) {
        try {
            db.setAutoCommit(false);
            try {
                T result = work.run();
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

    private <T> List<T> query(String sql, Function<String, T> decode, Object... args) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(decode.apply(rs.getString(1)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
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

    private interface Work<T> {
        T run() throws SQLException;
    }
}
