package dev.gatehouse.review.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.policy.ReviewRequirement;
import dev.gatehouse.review.HeldRequest;
import dev.gatehouse.review.Requester;
import dev.gatehouse.review.Review;
import dev.gatehouse.review.ReviewState;

/** What is SQLite's own; what every store does is in {@link ReviewStoreContractTest}. */
class SqliteReviewStoreTest {
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
    private static final Requester ALICE = new Requester("alice", List.of("dev"), "https://idp", "oidc", List.of());
    private static final ReviewRequirement REQ = new ReviewRequirement(List.of("sre"), List.of(), 1, false,
            List.of(), null, Duration.ZERO, null);

    @TempDir
    Path dir;

    static Review review(String id, String fingerprint) {
        HeldRequest held = new HeldRequest("a1", "prod", "DELETE", "/api/v1/namespaces/x", "delete", "",
                "namespaces", "", "", "x", "", 0, fingerprint);
        return new Review(id, ReviewState.PENDING, ALICE, held, "rule-1", "why", REQ, List.of(), T0,
                T0.plusSeconds(600), null, 1);
    }

    static Review approved(Review r, long version) {
        return new Review(r.id(), ReviewState.APPROVED, r.requester(), r.request(), r.rule(), r.reason(),
                r.requirement(), r.verdicts(), r.created(), r.expires(), T0.plusSeconds(300), version);
    }

    @Test
    void migratesAFreshFileWithFlyway() throws Exception {
        try (SqliteReviewStore store = SqliteReviewStore.open(dir)) {
            assertThat(store.file()).isEqualTo(dir.resolve("reviews.sqlite").toAbsolutePath());
            assertThat(store.lastChange()).isZero();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("reviews.sqlite"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, success FROM schema_version WHERE version IS NOT NULL"
                     + " ORDER BY installed_rank")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("1");
            assertThat(rs.getBoolean(2)).isTrue();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("2");
            assertThat(rs.getBoolean(2)).isTrue();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("reviews.sqlite"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("wal");
        }
    }
}
