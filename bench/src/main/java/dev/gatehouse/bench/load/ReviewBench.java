package dev.gatehouse.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import dev.gatehouse.review.store.SqliteReviewStore;
import dev.gatehouse.sandbox.Sandbox;
import dev.gatehouse.sandbox.SandboxOptions;

/**
 * Policy and just-in-time review under load (Gatehouse issue 16), each figure against a baseline of the same run:
 *
 * <ol>
 *   <li><b>latency</b>: a held {@code DELETE} of a configmap is approved through the reviews API; the time from the
 *       approve call to the held response reaching the requester, against one allowed {@code DELETE} and against
 *       the approve call alone;</li>
 *   <li><b>held</b>: {@code --held} requests held at once over {@code --connections} HTTP/2 connections; the
 *       gateway's live threads and heap after a full GC, idle and with all held, so bytes per held request; then
 *       all approved, every answer counted, threads and heap again;</li>
 *   <li><b>cpu</b>: the allow path's CPU per request with the shipped default policy against a policy of
 *       {@code default: allow} and no rules, alternated ABBA.</li>
 * </ol>
 *
 * The sandbox cluster is the upstream and runs in this JVM, as do the clients (Vert.x, HTTP/2); each gateway runs
 * in a JVM of its own as deployed, under coreutils {@code timeout}, stopped by pid. Writes
 * {@code reviews-<date>-<time>.md} to the results directory.
 */
public final class ReviewBench {
    static final String CLUSTER = "sandbox";
    static final String HELD_NAMESPACE = "prod";
    static final String FREE_NAMESPACE = "dev";
    static final String APPROVER_TOKEN = "bench-approver-token-0123456789abcdef";
    private static final Duration GATEWAY_LIMIT = Duration.ofMinutes(15);
    private static final String POLICY = """
            apiVersion: gatehouse.dev/v1
            kind: Policy
            default: allow
            reviewers:
              bench-approvers: {groups: [approvers], approvals: 1, reasonRequired: false, holdTime: 5m,
                                validity: once, pendingExpiry: 1h}
            rules:
              - name: hold-configmap-deletes-in-prod
                match: {verbs: [delete], resources: [configmaps], namespaces: [prod]}
                decision: review
                reviewers: bench-approvers
            """;
    private static final String ALLOW_ALL = """
            apiVersion: gatehouse.dev/v1
            kind: Policy
            default: allow
            """;

    final ReviewBenchOptions options;
    final Fixture fixture;
    final Sandbox sandbox;
    final Vertx vertx;
    final ApiClient admin;
    final StringBuilder md = new StringBuilder();

    private ReviewBench(ReviewBenchOptions options, Fixture fixture, Sandbox sandbox, Vertx vertx) {
        this.options = options;
        this.fixture = fixture;
        this.sandbox = sandbox;
        this.vertx = vertx;
        this.admin = new ApiClient(vertx, sandbox.caFile(), sandbox.port(), sandbox.adminToken(), 4);
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        ReviewBenchOptions options;
        try {
            options = ReviewBenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path work = options.work() != null ? options.work() : Files.createTempDirectory("gatehouse-review-bench-");
        Files.createDirectories(work);
        Fixture fixture = Fixture.create(work);
        Files.writeString(work.resolve("tokens.csv"), APPROVER_TOKEN + ",bench-approver,bench-approver-uid,approvers\n",
                java.nio.file.StandardOpenOption.APPEND);
        Sandbox sandbox = Sandbox.start(SandboxOptions.builder()
                .certificateDirectory(Files.createDirectories(work.resolve("sandbox"))).recordCapacity(100).build());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        BenchRuns.runAndExit("review bench", work, options.work() != null, sandbox, vertx,
                () -> new ReviewBench(options, fixture, sandbox, vertx).run());
    }

    private Path run() throws Exception {
        String started = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
        md.append("# Review bench ").append(started).append("\n\n");
        Map<String, String> env = BenchRuns.environment();
        env.put("gatewayLaunch", "java " + String.join(" ", options.gatewayJvm()) + " -jar " + options.gatewayJar()
                + " serve --config FILE");
        env.put("upstream", "in-process sandbox cluster in the bench JVM");
        env.put("clients", "Vert.x HttpClient in the bench JVM (2 event loops), TLS + ALPN h2, static bearer tokens");
        BenchRuns.appendEnvironment(md, env);
        try {
            if (options.phases().contains("latency") || options.phases().contains("held")) {
                try (Child gateway = startGateway("gateway-reviews", writePolicy("bench-policy.yaml", POLICY))) {
                    HeldPhases phases = new HeldPhases(this, gateway);
                    try {
                        if (options.phases().contains("latency")) {
                            phases.latency();
                        }
                        if (options.phases().contains("held")) {
                            phases.held();
                        }
                    } finally {
                        phases.close();
                    }
                }
            }
            if (options.phases().contains("cpu")) {
                new AllowPathPhase(this).run();
            }
        } finally {
            admin.close();
        }
        md.append("\nLoad average at the end: ").append(ProcStat.loadAverage()).append('\n');
        Files.createDirectories(options.results());
        Path report = options.results().resolve("reviews-" + started + ".md");
        Files.writeString(report, md.toString());
        return report;
    }

    // ---------------------------------------------------------------------------------------------- gateway

    Path writePolicy(String name, String text) throws IOException {
        Path file = fixture.dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /** A gateway JVM in front of the sandbox, as deployed; {@code policy} null: the shipped default policy. */
    Child startGateway(String name, Path policy) throws IOException {
        int port = Fixture.freePort();
        Path token = fixture.dir.resolve("sandbox-token");
        Files.writeString(token, sandbox.token() + "\n");
        Path config = fixture.dir.resolve(name + ".yaml");
        String policyYaml = policy == null ? "" : "policy: {path: \"" + policy + "\", reloadInterval: 2s}\n";
        Files.writeString(config, """
                listen: {address: 127.0.0.1, port: %d, certFile: gateway.crt, keyFile: gateway.key}
                dataDir: %s-data
                upstreamTimeout: PT30S
                authentication:
                  staticTokenFile: tokens.csv
                %sreviews: {holdTime: 5m, pendingExpiry: 1h, pollInterval: 1s}
                clusters:
                  - {name: %s, server: "%s", caFile: "%s", tokenFile: "%s"}
                """.formatted(port, name, policyYaml, CLUSTER, sandbox.url(), sandbox.caFile(), token));
        List<String> command = new ArrayList<>();
        command.add(Processes.JAVA);
        command.addAll(options.gatewayJvm());
        command.add("-Dlogback.configurationFile=" + fixture.logbackConfig(name));
        command.addAll(List.of("-jar", options.gatewayJar().toString(), "serve", "--config", config.toString()));
        System.err.println("review bench: starting " + name + " on port " + port);
        return Child.start(name, command, fixture.dir.resolve(name + ".out"), GATEWAY_LIMIT)
                .awaitPort(port, Duration.ofSeconds(60));
    }

    int port(Child gateway) throws IOException {
        String yaml = Files.readString(fixture.dir.resolve(gateway.name() + ".yaml"));
        return Integer.parseInt(yaml.replaceAll("(?s).*port: (\\d+),.*", "$1"));
    }

    ApiClient client(Child gateway, String token, int connections) throws IOException {
        return new ApiClient(vertx, fixture.gatewayTls.ca(), port(gateway), token, connections);
    }

    /** Pending reviews in the gateway's own store, read beside it (SQLite in WAL mode allows a reader). */
    long pendingInStore(Child gateway) {
        Path db = fixture.dir.resolve(gateway.name() + "-data").resolve("reviews").resolve(SqliteReviewStore.FILE);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM records WHERE kind = 'review' AND state = 'pending'")) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count pending reviews in " + db + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    static String gatewayPath(String namespace, String resourcePath) {
        return "/clusters/" + CLUSTER + "/api/v1/namespaces/" + namespace + "/" + resourcePath;
    }

    /** Creates configmaps {@code prefix0 … prefix(n-1)} straight in the sandbox, 64 at a time. */
    void createConfigMaps(String namespace, String prefix, int n) throws Exception {
        forEach(n, 64, i -> admin.send(HttpMethod.POST, "/api/v1/namespaces/" + namespace + "/configmaps",
                new JsonObject().put("apiVersion", "v1").put("kind", "ConfigMap")
                        .put("metadata", new JsonObject().put("name", prefix + i))
                        .put("data", new JsonObject().put("k", "v")).encode()).map(a -> expect(a, 201, 200)))
                .get(300, TimeUnit.SECONDS);
    }

    static ApiClient.Answer expect(ApiClient.Answer a, int... statuses) {
        for (int s : statuses) {
            if (a.status() == s) {
                return a;
            }
        }
        String body = a.body().length() > 300 ? a.body().substring(0, 300) + "…" : a.body();
        throw new IllegalStateException("answered " + a.status() + " (expected: " + java.util.Arrays.toString(statuses)
                + "): " + body);
    }

    /** Runs {@code task(0 … n-1)} with at most {@code concurrency} in flight; fails with the first failure. */
    static CompletableFuture<Void> forEach(int n, int concurrency, IntFunction<Future<?>> task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
        int chains = Math.max(1, Math.min(concurrency, n));
        for (int c = 0; c < chains; c++) {
            new Object() {
                void step() {
                    int i = next.getAndIncrement();
                    if (i >= n || done.isDone()) {
                        if (finished.incrementAndGet() == chains) {
                            done.complete(null);
                        }
                        return;
                    }
                    task.apply(i).onComplete(ar -> {
                        if (ar.failed()) {
                            done.completeExceptionally(ar.cause());
                        }
                        step();
                    });
                }
            }.step();
        }
        return done;
    }

    static <T> T await(Future<T> future, int seconds) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    }

    void row(String... cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
