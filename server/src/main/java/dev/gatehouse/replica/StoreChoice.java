package dev.gatehouse.replica;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.config.StoreConfig;
import dev.gatehouse.review.ReviewStore;
import dev.gatehouse.review.store.PostgresReviewStore;
import dev.gatehouse.review.store.SqliteReviewStore;

/**
 * What {@code store} chose, opened: the review store (SQLite under the data directory, or PostgreSQL) and, with
 * PostgreSQL, the shared database and this replica's key registration. Closes them in reverse order.
 */
public final class StoreChoice implements AutoCloseable {
    private final ReviewStore reviews;
    private final SharedDatabase shared;
    private final ReplicaRegistry registry;
    private final SharedAuditIndex index;

    private StoreChoice(ReviewStore reviews, SharedDatabase shared, ReplicaRegistry registry,
                        SharedAuditIndex index) {
        this.reviews = reviews;
        this.shared = shared;
        this.registry = registry;
        this.index = index;
    }

    /**
     * Opens the chosen store. With PostgreSQL and the file log ({@code auditLog}; null for a test's own log): the
     * log's signing key is registered to this replica, and a start that would share it with another replica is
     * refused; the log's events feed the shared audit index.
     */
    public static StoreChoice open(StoreConfig config, Path dataDir, ChainedFileAuditLog auditLog, Clock clock)
            throws IOException {
        if (!config.shared()) {
            return new StoreChoice(SqliteReviewStore.open(dataDir.resolve("reviews"), clock), null, null, null);
        }
        SharedDatabase shared = SharedDatabase.open(config);
        try {
            String keyId = auditLog == null ? null : auditLog.signingKeyId();
            ReplicaRegistry registry = keyId == null ? null
                    : ReplicaRegistry.register(shared, dataDir, keyId, clock);
            SharedAuditIndex index = registry == null ? null : SharedAuditIndex.start(shared, registry.replicaId(),
                    auditLog.directory(), auditLog::size, java.time.Duration.ofSeconds(1));
            return new StoreChoice(new PostgresReviewStore(shared, clock), shared, registry, index);
        } catch (RuntimeException e) {
            shared.close();
            throw e;
        }
    }

    public ReviewStore reviews() {
        return reviews;
    }

    /** The shared database, or null with the embedded store. */
    public SharedDatabase shared() {
        return shared;
    }

    /** The shared audit index this replica feeds, or null (embedded store, or no file log). */
    public SharedAuditIndex index() {
        return index;
    }

    @Override
    public void close() {
        if (index != null) {
            index.close();
        }
        reviews.close();
        if (registry != null) {
            registry.close();
        }
        if (shared != null) {
            shared.close();
        }
    }
}
