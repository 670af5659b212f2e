package dev.gatehouse.replica;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

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

    private StoreChoice(ReviewStore reviews, SharedDatabase shared, ReplicaRegistry registry) {
        this.reviews = reviews;
        this.shared = shared;
        this.registry = registry;
    }

    /**
     * Opens the chosen store. {@code signingKeyId} is the audit log's key (null when the log is not signed, e.g. a
     * test's in-memory log): with PostgreSQL it is registered to this replica, and a start that would share it
     * with another replica is refused.
     */
    public static StoreChoice open(StoreConfig config, Path dataDir, String signingKeyId, Clock clock)
            throws IOException {
        if (!config.shared()) {
            return new StoreChoice(SqliteReviewStore.open(dataDir.resolve("reviews"), clock), null, null);
        }
        SharedDatabase shared = SharedDatabase.open(config);
        try {
            ReplicaRegistry registry = signingKeyId == null ? null
                    : ReplicaRegistry.register(shared, dataDir, signingKeyId, clock);
            return new StoreChoice(new PostgresReviewStore(shared, clock), shared, registry);
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

    @Override
    public void close() {
        reviews.close();
        if (registry != null) {
            registry.close();
        }
        if (shared != null) {
            shared.close();
        }
    }
}
