package dev.gatehouse.bench.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;
import dev.gatehouse.audit.query.AuditQuery;
import dev.gatehouse.audit.query.QueryIndex;

/**
 * Builds a log of N events (default 1,000,000: 200 users, 5 clusters, 50 namespaces, 90 days), indexes it, and
 * times typical auditor queries. Run: {@code ... QueryIndexBenchmark [dir] [events]}.
 */
public final class QueryIndexBenchmark {
    private QueryIndexBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("audit-query-bench");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        long t0 = System.nanoTime();
        Semaphore inFlight = new Semaphore(16_384);
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir.resolve("audit")))) {
            for (int i = 0; i < n; i++) {
                inFlight.acquireUninterruptibly();
                CompletableFuture<Long> f = log.append(event(i, start.plusSeconds(i * (90L * 86400 / n))));
                f.whenComplete((s, e) -> inFlight.release());
            }
            inFlight.acquireUninterruptibly(16_384);
        }
        System.out.printf("wrote %d events in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        try (QueryIndex index = QueryIndex.open(dir.resolve("audit"), dir.resolve("index.sqlite"))) {
            long t1 = System.nanoTime();
            index.catchUp();
            System.out.printf("indexed from scratch in %.1f s%n", (System.nanoTime() - t1) / 1e9);
            time(index, "user=user-17, last 1000 newest first",
                    AuditQuery.builder().user("user-17").limit(1000).newestFirst().build());
            time(index, "cluster=prod-0 verb=delete namespace=ns-0",
                    AuditQuery.builder().cluster("prod-0").verb("delete").namespace("ns-0").build());
            time(index, "one day, code=403", AuditQuery.builder().from(Instant.parse("2026-02-01T00:00:00Z"))
                    .to(Instant.parse("2026-02-02T00:00:00Z")).code(403).build());
            time(index, "group=oncall resource=secrets", AuditQuery.builder().group("oncall").resource("secrets")
                    .limit(1000).build());
            long t2 = System.nanoTime();
            index.catchUp();
            System.out.printf("catch-up with nothing new: %.1f ms%n", (System.nanoTime() - t2) / 1e6);
        }
    }

    private static void time(QueryIndex index, String what, AuditQuery q) throws Exception {
        long t = System.nanoTime();
        int found = index.query(q).size();
        System.out.printf("query %-45s %6d events in %7.1f ms%n", what, found, (System.nanoTime() - t) / 1e6);
    }

    private static AuditEvent event(int i, Instant at) {
        String ts = AuditEvent.timestamp(at);
        String user = "user-" + (i % 200);
        String verb = switch (i % 10) {
            case 0 -> "delete";
            case 1, 2 -> "list";
            case 3 -> "create";
            default -> "get";
        };
        String resource = i % 7 == 0 ? "secrets" : "pods";
        int code = i % 25 == 0 ? 403 : 200;
        return new AuditEvent("Event", "audit.k8s.io/v1", "Metadata", UUID.randomUUID().toString(),
                AuditEvent.STAGE_RESPONSE_COMPLETE, "/api/v1/namespaces/ns-" + (i % 50) + "/" + resource + "/x", verb,
                new AuditEvent.UserInfo(user, "u" + i % 200, i % 3 == 0 ? List.of("developers", "oncall")
                        : List.of("developers"), null), null, List.of("10.0.0.1"), "kubectl",
                new AuditEvent.ObjectRef(resource, "ns-" + (i % 50), "x-" + (i % 1000), "", "v1", null),
                new AuditEvent.ResponseStatus(null, null, null, null, code), ts, ts, null,
                new AuditEvent.Gatehouse("request", null, "prod-" + (i % 5), code == 403 ? "deny" : "allow", null,
                        100L, 0L, 100L, null, "impersonate", Map.of()));
    }
}
