package dev.gatehouse.bench.replica;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.config.StoreConfig;
import dev.gatehouse.policy.ReviewRequirement;
import dev.gatehouse.replica.SharedDatabase;
import dev.gatehouse.review.HeldRequest;
import dev.gatehouse.review.RequestFingerprint;
import dev.gatehouse.review.Requester;
import dev.gatehouse.review.Review;
import dev.gatehouse.review.ReviewListener;
import dev.gatehouse.review.ReviewService;
import dev.gatehouse.review.ReviewSettings;
import dev.gatehouse.review.ReviewStore;
import dev.gatehouse.review.store.PostgresReviewStore;
import dev.gatehouse.review.store.SqliteReviewStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Approval to release, across replicas against one node, measured in the same run and alternated round by round:
 *
 * <ul>
 *   <li><b>one node</b>: the request is held and approved on the same review service (PostgreSQL store): the
 *       approval releases the waiter directly;</li>
 *   <li><b>across replicas</b>: held on replica A, approved on replica B (each its own Vert.x, pool and listening
 *       connection on one database); A learns of it by LISTEN/NOTIFY (its poll is a minute, so only the
 *       notification counts);</li>
 *   <li><b>one node, embedded</b>: as the first on the SQLite store, for reference.</li>
 * </ul>
 *
 * The time runs from the approve call to the held waiter's completion; the audit listener is a no-op, the same
 * for all. Prints a Markdown table with medians, p95 and the ratio across/one node.
 * {@code --rounds N} (default 200), {@code --postgres jdbc:postgresql://127.0.0.1:5432/postgres} (admin database;
 * a database of the bench's own is made there and dropped).
 */
public final class ReplicaReleaseBench {
    private static final Requester ALICE = new Requester("alice", List.of("dev"), "https://idp", "oidc", List.of());
    private static final Requester BOB = new Requester("bob", List.of("sre"), "https://idp", "oidc", List.of());
    private static final ReviewRequirement ONE = new ReviewRequirement(List.of("sre"), List.of(), 1, false,
            List.of(), Duration.ofSeconds(30), Duration.ZERO, Duration.ofMinutes(30));
    private static final ReviewListener NO_OP = event -> Future.succeededFuture();

    private ReplicaReleaseBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 200;
        String admin = "jdbc:postgresql://127.0.0.1:5432/postgres";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--postgres" -> admin = args[++i];
                default -> {
                    System.err.println("replica-bench: unknown option " + args[i]
                            + " (expected: --rounds N, --postgres ADMIN_JDBC_URL)");
                    System.exit(2);
                }
            }
        }
        if (rounds < 10) {
            System.err.println("replica-bench: --rounds " + rounds + " (expected: at least 10)");
            System.exit(2);
        }
        String db = "gatehouse_bench_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
        sql(admin, "CREATE DATABASE " + db);
        Path sqliteDir = Files.createTempDirectory("replica-bench");
        try {
            run(rounds, StoreConfig.postgres(admin.substring(0, admin.lastIndexOf('/') + 1) + db, "postgres", null,
                    "gatehouse"), sqliteDir);
        } finally {
            sql(admin, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    private static void run(int rounds, StoreConfig store, Path sqliteDir) throws Exception {
        Node a = Node.postgres(store);
        Node b = Node.postgres(store);
        Node embedded = Node.sqlite(sqliteDir);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!a.db.notifications().connected() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            int warmup = Math.max(10, rounds / 10);
            for (int i = 0; i < warmup; i++) {
                round(a, a, "w1-" + i);
                round(a, b, "w2-" + i);
                round(embedded, embedded, "w3-" + i);
            }
            List<Long> one = new ArrayList<>();
            List<Long> across = new ArrayList<>();
            List<Long> local = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                if (i % 2 == 0) { // alternate the order so a drift in the machine's load hits both alike
                    one.add(round(a, a, "one-" + i));
                    across.add(round(a, b, "across-" + i));
                } else {
                    across.add(round(a, b, "across-" + i));
                    one.add(round(a, a, "one-" + i));
                }
                local.add(round(embedded, embedded, "embedded-" + i));
            }
            report(rounds, one, across, local);
        } finally {
            a.close();
            b.close();
            embedded.close();
        }
    }

    /** Holds a request on {@code holder}, approves it on {@code approver}: nanoseconds from approve to release. */
    private static long round(Node holder, Node approver, String ns) throws Exception {
        String uri = "/api/v1/namespaces/" + ns;
        HeldRequest held = new HeldRequest("audit-" + ns, "prod", "DELETE", uri, "delete", "", "namespaces", "", "",
                ns, "", 0, RequestFingerprint.of("alice", "prod", "DELETE", uri, "", new byte[0]));
        Review opened = get(holder.reviews.open(ALICE, held, "bench", "bench", ONE));
        CompletableFuture<Long> released = new CompletableFuture<>();
        holder.reviews.await(opened.id(), Duration.ofSeconds(30)).onComplete(ar -> released.complete(System.nanoTime()));
        while (holder.reviews.waiting() == 0) {
            Thread.onSpinWait();
        }
        long start = System.nanoTime();
        get(approver.reviews.approve(opened.id(), BOB, "bench"));
        return released.get(30, TimeUnit.SECONDS) - start;
    }

    private static void report(int rounds, List<Long> one, List<Long> across, List<Long> local) {
        double oneMedian = percentile(one, 50);
        double acrossMedian = percentile(across, 50);
        System.out.println("## Approval to release, " + rounds + " rounds each (" + Runtime.getRuntime()
                .availableProcessors() + " CPUs)\n");
        System.out.println("| where | median ms | p95 ms | max ms |");
        System.out.println("|---|---|---|---|");
        row("one node, PostgreSQL store", one);
        row("across replicas (NOTIFY), PostgreSQL store", across);
        row("one node, embedded SQLite store", local);
        System.out.printf(Locale.ROOT, "%nratio across replicas / one node (medians): %.2f%n",
                acrossMedian / oneMedian);
    }

    private static void row(String name, List<Long> nanos) {
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", name, percentile(nanos, 50) / 1e6,
                percentile(nanos, 95) / 1e6, percentile(nanos, 100) / 1e6);
    }

    private static double percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static void sql(String url, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** One replica: its Vert.x, store and review service. */
    private static final class Node {
        final Vertx vertx = Vertx.vertx();
        final SharedDatabase db;
        final ReviewStore store;
        final ReviewService reviews;

        private Node(SharedDatabase db, ReviewStore store) {
            this.db = db;
            this.store = store;
            this.reviews = new ReviewService(vertx, store, NO_OP, new ReviewSettings(Duration.ofSeconds(30),
                    Duration.ofHours(1), ONE, Duration.ofHours(8), Duration.ofMinutes(1), Duration.ofHours(1)),
                    Clock.systemUTC());
        }

        static Node postgres(StoreConfig config) {
            SharedDatabase db = SharedDatabase.open(config);
            return new Node(db, new PostgresReviewStore(db, Clock.systemUTC()));
        }

        static Node sqlite(Path dir) throws java.io.IOException {
            return new Node(null, SqliteReviewStore.open(dir));
        }

        void close() {
            reviews.close();
            store.close();
            if (db != null) {
                db.close();
            }
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
