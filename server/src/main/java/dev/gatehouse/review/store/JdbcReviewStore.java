package dev.gatehouse.review.store;

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

import dev.gatehouse.review.Grant;
import dev.gatehouse.review.Review;
import dev.gatehouse.review.ReviewState;
import dev.gatehouse.review.ReviewStore;

/**
 * The review store's SQL, one dialect for SQLite and PostgreSQL: one table of reviews and grants with the columns
 * the lookups need and the value as JSON, and a one-row change sequence. Every write first bumps the sequence row,
 * which locks it until the transaction ends, so writes commit in sequence order and a reader of
 * {@link #changedSince} never skips a change that commits later with a smaller number. How a connection is had and
 * a transaction run is the subclass's: {@link SqliteReviewStore} (one connection), {@link PostgresReviewStore}
 * (a small pool).
 */
abstract class JdbcReviewStore implements ReviewStore {
    static final String KIND_REVIEW = "review";
    static final String KIND_GRANT = "grant";

    private final Clock clock;

    JdbcReviewStore(Clock clock) {
        this.clock = clock;
    }

    /** SQL work on one connection. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    abstract <T> T transaction(Work<T> work);

    /** Runs a read (auto-commit). */
    abstract <T> T read(Work<T> work);

    /** Called inside a settle's transaction once it bumped the sequence to {@code seq}: a hook to tell others. */
    void settling(Connection c, long seq) throws SQLException {
    }

    @Override
    public boolean createReview(Review r) {
        return transaction(c -> insert(c, r.id(), KIND_REVIEW, r.state(), r.requester().user(),
                r.request().fingerprint(), r.created(), r.expires(), r.validUntil(), r.version(), ReviewJson.write(r)));
    }

    @Override
    public boolean createGrant(Grant g) {
        return transaction(c -> insert(c, g.id(), KIND_GRANT, g.state(), g.requester().user(), null, g.created(),
                g.expires(), g.validUntil(), g.version(), ReviewJson.write(g)));
    }

    @Override
    public boolean updateReview(Review r, long expectedVersion) {
        return transaction(c -> update(c, r.id(), KIND_REVIEW, r.state(), r.validUntil(), r.expires(), r.version(),
                expectedVersion, ReviewJson.write(r), false));
    }

    @Override
    public boolean undoReview(Review r, long unsettledVersion) {
        return transaction(c -> update(c, r.id(), KIND_REVIEW, r.state(), r.validUntil(), r.expires(), r.version(),
                unsettledVersion, ReviewJson.write(r), true));
    }

    @Override
    public boolean updateGrant(Grant g, long expectedVersion) {
        return transaction(c -> update(c, g.id(), KIND_GRANT, g.state(), g.validUntil(), g.expires(), g.version(),
                expectedVersion, ReviewJson.write(g), false));
    }

    @Override
    public boolean undoGrant(Grant g, long unsettledVersion) {
        return transaction(c -> update(c, g.id(), KIND_GRANT, g.state(), g.validUntil(), g.expires(), g.version(),
                unsettledVersion, ReviewJson.write(g), true));
    }

    @Override
    public boolean settleReview(String id, long version) {
        return transaction(c -> settle(c, id, KIND_REVIEW, version));
    }

    @Override
    public boolean settleGrant(String id, long version) {
        return transaction(c -> settle(c, id, KIND_GRANT, version));
    }

    @Override
    public boolean discardReview(String id, long version) {
        return transaction(c -> discard(c, id, KIND_REVIEW, version));
    }

    @Override
    public boolean discardGrant(String id, long version) {
        return transaction(c -> discard(c, id, KIND_GRANT, version));
    }

    @Override
    public Optional<Review> review(String id) {
        return query("SELECT value FROM records WHERE kind = 'review' AND id = ?", ReviewJson::review, id)
                .stream().findFirst();
    }

    @Override
    public Optional<Grant> grant(String id) {
        return query("SELECT value FROM records WHERE kind = 'grant' AND id = ?", ReviewJson::grant, id)
                .stream().findFirst();
    }

    @Override
    public List<Review> reviews(ReviewState state, int limit) {
        return list(KIND_REVIEW, state, limit, ReviewJson::review);
    }

    @Override
    public List<Grant> grants(ReviewState state, int limit) {
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
    public boolean reviewSettled(String id, long version) {
        return !query("SELECT 'y' FROM records WHERE kind = 'review' AND id = ? AND version = ? AND settled = 1",
                String::valueOf, id, version).isEmpty();
    }

    @Override
    public Optional<Review> pendingReview(String requesterUser, String fingerprint) {
        return query("SELECT value FROM records WHERE kind = 'review' AND fingerprint = ? AND state = 'pending'"
                + " AND requester = ? ORDER BY created DESC LIMIT 1", ReviewJson::review, fingerprint, requesterUser)
                .stream().findFirst();
    }

    @Override
    public List<Review> approvedReviews(String fingerprint, Instant now) {
        return query("SELECT value FROM records WHERE kind = 'review' AND fingerprint = ? AND state = 'approved'"
                + " AND settled = 1 AND valid_until > ? ORDER BY created DESC", ReviewJson::review, fingerprint,
                now.toEpochMilli());
    }

    @Override
    public List<Review> pendingReviewsExpiredAt(Instant now) {
        return query("SELECT value FROM records WHERE kind = 'review' AND state = 'pending' AND expires <= ?"
                + " LIMIT 1000", ReviewJson::review, now.toEpochMilli());
    }

    @Override
    public List<Grant> approvedGrants(String requesterUser, Instant now) {
        return query("SELECT value FROM records WHERE kind = 'grant' AND requester = ? AND state = 'approved'"
                + " AND settled = 1 AND valid_until > ? ORDER BY created", ReviewJson::grant, requesterUser,
                now.toEpochMilli());
    }

    @Override
    public List<Grant> grantsExpiredAt(Instant now) {
        long at = now.toEpochMilli();
        return query("SELECT value FROM records WHERE kind = 'grant' AND ((state = 'pending' AND expires <= ?)"
                + " OR (state = 'approved' AND valid_until <= ?)) LIMIT 1000", ReviewJson::grant, at, at);
    }

    @Override
    public int undoAbandoned(Instant writtenBefore) {
        List<String[]> abandoned = read(c -> {
            List<String[]> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, kind, version, previous FROM records"
                    + " WHERE settled = 0 AND written < ? LIMIT 1000")) {
                ps.setLong(1, writtenBefore.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                    }
                }
            }
            return out;
        });
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
    public long lastChange() {
        return query("SELECT value FROM change_sequence WHERE id = 1", Long::parseLong).getFirst();
    }

    @Override
    public Changes changedSince(long seq) {
        return read(c -> {
            List<Review> reviews = new ArrayList<>();
            List<Grant> grants = new ArrayList<>();
            long last = seq;
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, value, change_seq FROM records"
                    + " WHERE change_seq > ? AND settled = 1 ORDER BY change_seq LIMIT 1000")) {
                ps.setLong(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (KIND_REVIEW.equals(rs.getString(1))) {
                            reviews.add(ReviewJson.review(rs.getString(2)));
                        } else {
                            grants.add(ReviewJson.grant(rs.getString(2)));
                        }
                        last = rs.getLong(3);
                    }
                }
            }
            return new Changes(last, reviews, grants);
        });
    }

    private boolean insert(Connection c, String id, String kind, ReviewState state, String requester,
                           String fingerprint, Instant created, Instant expires, Instant validUntil, long version,
                           String json) throws SQLException {
        long seq = nextSeq(c);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO records (id, kind, state, requester,"
                + " fingerprint, created, expires, valid_until, version, change_seq, settled, value, written)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,0,?,?) ON CONFLICT DO NOTHING")) {
            bind(ps, id, kind, state.wireName(), requester, fingerprint, created.toEpochMilli(),
                    expires.toEpochMilli(), millis(validUntil), version, seq, json, clock.millis());
            return ps.executeUpdate() == 1;
        }
    }

    private boolean update(Connection c, String id, String kind, ReviewState state, Instant validUntil,
                           Instant expires, long version, long expected, String json, boolean undo)
            throws SQLException {
        if (version <= expected) {
            throw new IllegalArgumentException("version: " + version + " (expected: > " + expected + ")");
        }
        long seq = nextSeq(c);
        // a step builds on a settled value only; an undo overwrites an unsettled one and settles the previous value
        // previous = value: both engines read the row's old value on the right-hand side
        try (PreparedStatement ps = c.prepareStatement("UPDATE records SET state = ?, valid_until = ?, expires = ?,"
                + " version = ?, change_seq = ?, settled = ?, previous = CASE WHEN ? = 1 THEN NULL ELSE value END,"
                + " value = ?, written = ? WHERE id = ? AND kind = ? AND version = ? AND settled = ?")) {
            bind(ps, state.wireName(), millis(validUntil), expires.toEpochMilli(), version, seq, undo ? 1 : 0,
                    undo ? 1 : 0, json, clock.millis(), id, kind, expected, undo ? 0 : 1);
            return ps.executeUpdate() == 1;
        }
    }

    private boolean settle(Connection c, String id, String kind, long version) throws SQLException {
        long seq = nextSeq(c);
        try (PreparedStatement ps = c.prepareStatement("UPDATE records SET settled = 1, previous = NULL,"
                + " change_seq = ? WHERE id = ? AND kind = ? AND version = ?")) {
            bind(ps, seq, id, kind, version);
            boolean settled = ps.executeUpdate() == 1;
            if (settled) {
                settling(c, seq);
            }
            return settled;
        }
    }

    private static boolean discard(Connection c, String id, String kind, long version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM records WHERE id = ? AND kind = ?"
                + " AND version = ? AND settled = 0")) {
            bind(ps, id, kind, version);
            return ps.executeUpdate() == 1;
        }
    }

    /** Bumps the sequence row; the row stays locked until the transaction ends, so writes commit in order. */
    private static long nextSeq(Connection c) throws SQLException {
        try (PreparedStatement bump = c.prepareStatement(
                "UPDATE change_sequence SET value = value + 1 WHERE id = 1 RETURNING value");
             ResultSet rs = bump.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private <T> List<T> query(String sql, Function<String, T> decode, Object... args) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                List<T> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(decode.apply(rs.getString(1)));
                    }
                }
                return out;
            }
        });
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
