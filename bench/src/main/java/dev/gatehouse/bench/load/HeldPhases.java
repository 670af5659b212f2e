package dev.gatehouse.bench.load;

import static dev.gatehouse.bench.load.ReviewBench.await;
import static dev.gatehouse.bench.load.ReviewBench.expect;
import static dev.gatehouse.bench.load.ReviewBench.fmt;
import static dev.gatehouse.bench.load.ReviewBench.gatewayPath;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * The two phases on the gateway whose policy holds {@code DELETE} of configmaps in {@code prod}: approval-to-release
 * latency, and many requests held at once. The requester and the approver are two static-token users; reviews are
 * found and approved through the reviews API ({@code /gatehouse/v1/reviews}), as the CLI does.
 */
final class HeldPhases implements AutoCloseable {
    private final ReviewBench bench;
    private final Child gateway;
    private final ApiClient requester;
    private final ApiClient approver;

    HeldPhases(ReviewBench bench, Child gateway) throws IOException {
        this.bench = bench;
        this.gateway = gateway;
        this.requester = bench.client(gateway, Fixture.CLIENT_TOKEN, 1);
        this.approver = bench.client(gateway, ReviewBench.APPROVER_TOKEN, 4);
    }

    // ---------------------------------------------------------------------------------------------- latency

    void latency() throws Exception {
        int warm = bench.options.warmupRounds();
        int total = warm + bench.options.rounds();
        bench.createConfigMaps(ReviewBench.HELD_NAMESPACE, "bench-held-", total);
        bench.createConfigMaps(ReviewBench.FREE_NAMESPACE, "bench-free-", total);
        String loadBefore = ProcStat.loadAverage();
        long[] release = new long[bench.options.rounds()];
        long[] approveCall = new long[bench.options.rounds()];
        long[] allowed = new long[bench.options.rounds()];
        for (int i = 0; i < total; i++) {
            long start = System.nanoTime();
            ApiClient.Answer free = expect(await(requester.send(HttpMethod.DELETE, gatewayPath(
                    ReviewBench.FREE_NAMESPACE, "configmaps/bench-free-" + i), null), 60), 200);
            CompletableFuture<ApiClient.Answer> held = requester.send(HttpMethod.DELETE, gatewayPath(
                    ReviewBench.HELD_NAMESPACE, "configmaps/bench-held-" + i), null).toCompletionStage()
                    .toCompletableFuture();
            String id = awaitReview("bench-held-" + i, held);
            long t0 = System.nanoTime();
            ApiClient.Answer approved = expect(await(approver.approve(id), 60), 200);
            ApiClient.Answer released = expect(held.get(60, TimeUnit.SECONDS), 200);
            if (i >= warm) {
                release[i - warm] = released.doneNanos() - t0;
                approveCall[i - warm] = approved.doneNanos() - t0;
                allowed[i - warm] = free.doneNanos() - start;
            }
        }
        String loadAfter = ProcStat.loadAverage();
        long[] fsync = fsyncs(bench.fixture.dir, bench.options.rounds());
        StringBuilder md = bench.md;
        md.append("\n## 1. Approval-to-release latency (goal ≤ 20 ms on one node)\n\n");
        md.append(fmt("%d rounds after %d unmeasured; each: an allowed `DELETE` of a configmap in `%s` (the baseline),"
                + " then a held `DELETE` of one in `%s`; once the approver's `GET /gatehouse/v1/reviews?state=pending`"
                + " lists it, t0 and `POST …/approve`; t1 when the held response (200) reached the requester. One"
                + " HTTP/2 connection per user. The review store is SQLite (`synchronous=FULL`); the approval and the"
                + " redemption are each a durable write, and the review events go through the durable audit log.\n\n",
                bench.options.rounds(), warm, ReviewBench.FREE_NAMESPACE, ReviewBench.HELD_NAMESPACE));
        md.append("| ms | p50 | p90 | p99 | max | p50 ÷ allowed p50 |\n|---|---:|---:|---:|---:|---:|\n");
        double base = percentile(allowed, 50);
        latencyRow("approve → held response (t1 − t0)", release, base);
        latencyRow("approve call alone (its answer − t0)", approveCall, base);
        latencyRow("one allowed DELETE (baseline)", allowed, base);
        latencyRow("one bare 1 KiB write + fdatasync on the gateway's disk", fsync, base);
        md.append(fmt("\nRelease p99 ÷ goal (20 ms): %.2f. Load average before: %s; after: %s.\n",
                percentile(release, 99) / 20.0, loadBefore, loadAfter));
    }

    private void latencyRow(String name, long[] nanos, double baseMillis) {
        bench.row(name, fmt("%.2f", percentile(nanos, 50)), fmt("%.2f", percentile(nanos, 90)),
                fmt("%.2f", percentile(nanos, 99)), fmt("%.2f", percentile(nanos, 100)),
                fmt("%.2f", percentile(nanos, 50) / baseMillis));
    }

    /**
     * {@code n} bare 1 KiB appends, each followed by {@code fdatasync}, in a file beside the gateway's data (the same
     * disk), one after the other: what one durable write costs here, right after the rounds.
     */
    static long[] fsyncs(java.nio.file.Path dir, int n) throws IOException {
        java.nio.file.Path file = dir.resolve("fsync-baseline");
        long[] out = new long[n];
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer kb = java.nio.ByteBuffer.allocateDirect(1024);
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                kb.clear();
                ch.write(kb);
                ch.force(false);
                out[i] = System.nanoTime() - start;
            }
        }
        java.nio.file.Files.delete(file);
        return out;
    }

    /** Milliseconds at percentile {@code p} (nearest rank). */
    static double percentile(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    /** Polls the approver's pending list until the review of configmap {@code name} appears; returns its id. */
    private String awaitReview(String name, CompletableFuture<ApiClient.Answer> held) throws Exception {
        long until = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < until) {
            if (held.isDone()) {
                throw new IllegalStateException("the held DELETE of " + name + " was answered before approval: "
                        + held.get().status() + " " + held.get().body());
            }
            for (JsonObject review : await(approver.pendingReviews(20), 30)) {
                if (name.equals(review.getJsonObject("request", new JsonObject()).getString("name"))) {
                    return review.getString("id");
                }
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("no pending review of configmap " + name + " within 60 s");
    }

    // ---------------------------------------------------------------------------------------------- held

    void held() throws Exception {
        int n = bench.options.held();
        int warm = Math.min(n, 500);
        long pid = gateway.mainPid();
        bench.createConfigMaps(ReviewBench.HELD_NAMESPACE, "bench-warm-", warm);
        bench.createConfigMaps(ReviewBench.HELD_NAMESPACE, "bench-mass-", n);
        try (ApiClient mass = bench.client(gateway, Fixture.CLIENT_TOKEN, bench.options.connections())) {
            // warm-up: the same path with fewer requests, so pools and code are what they will be
            Outcome warmUp = holdAndApprove(mass, "bench-warm-", warm, pid, null);
            if (warmUp.ok() != warm) {
                throw new IllegalStateException("warm-up: " + warmUp.ok() + " of " + warm + " answered 200; first: "
                        + warmUp.firstError());
            }
            Probe idle = Probe.of(pid);
            List<Probe> probes = new ArrayList<>();
            probes.add(idle);
            Outcome outcome = holdAndApprove(mass, "bench-mass-", n, pid, probes);
            Probe after = Probe.of(pid);
            Thread.sleep(10_000);
            Probe later = Probe.of(pid);
            report(n, idle, probes.get(1), after, later, outcome);
            if (Math.max(after.heapBytes(), later.heapBytes()) > 2 * idle.heapBytes()) {
                bench.md.append("\nThe heap did not stay near idle after the release; what it held then (`jcmd <pid>"
                        + " GC.class_histogram`, largest first):\n\n```\n")
                        .append(String.join("\n", JvmProbe.histogram(pid, 12))).append("\n```\n");
            }
        }
    }

    /** A moment of the gateway JVM: live threads, heap after full GC, and the load average. */
    record Probe(int threads, long heapBytes, String load) {
        static Probe of(long pid) {
            long heap = JvmProbe.heapAfterGc(pid);
            return new Probe(JvmProbe.threads(pid), heap, ProcStat.loadAverage());
        }
    }

    /** How the held requests ended: answered 200, otherwise, the first other answer, and the timings. */
    record Outcome(int ok, int other, String firstError, double secondsToHold, double secondsToRelease) {
    }

    /**
     * Sends {@code n} held DELETEs at once, waits until all are pending in the store, probes (when {@code probes}
     * is given), approves every pending review through the API and waits for every answer.
     */
    private Outcome holdAndApprove(ApiClient mass, String prefix, int n, long pid, List<Probe> probes)
            throws Exception {
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>("");
        List<CompletableFuture<Void>> answers = new ArrayList<>(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            answers.add(mass.send(HttpMethod.DELETE, gatewayPath(ReviewBench.HELD_NAMESPACE, "configmaps/" + prefix + i),
                    null).<Void>transform(ar -> {
                        if (ar.succeeded() && ar.result().status() == 200) {
                            ok.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                            firstError.compareAndSet("", ar.succeeded() ? ar.result().status() + " "
                                    + ar.result().body() : String.valueOf(ar.cause()));
                        }
                        return Future.succeededFuture();
                    }).toCompletionStage().toCompletableFuture());
        }
        long until = System.nanoTime() + 600_000_000_000L;
        while (bench.pendingInStore(gateway) < n) {
            if (System.nanoTime() > until || other.get() > 0 || ok.get() > 0) {
                throw new IllegalStateException("held " + bench.pendingInStore(gateway) + " of " + n + "; answered "
                        + ok.get() + " × 200, " + other.get() + " others; first: " + firstError.get());
            }
            Thread.sleep(200);
        }
        double toHold = (System.nanoTime() - start) / 1e9;
        if (probes != null) {
            Thread.sleep(2000);
            if (ok.get() + other.get() > 0) {
                throw new IllegalStateException("answered before approval: " + (ok.get() + other.get())
                        + "; first: " + firstError.get());
            }
            probes.add(Probe.of(pid));
        }
        long approving = System.nanoTime();
        approveAll();
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(600, TimeUnit.SECONDS);
        double toRelease = (System.nanoTime() - approving) / 1e9;
        return new Outcome(ok.get(), other.get(), firstError.get(), toHold, toRelease);
    }

    /** Approves every pending review the approver sees, 500 listed at a time, 16 approvals in flight. */
    private void approveAll() throws Exception {
        while (true) {
            List<JsonObject> pending = await(approver.pendingReviews(500), 120);
            if (pending.isEmpty()) {
                return;
            }
            ReviewBench.forEach(pending.size(), 16, i -> approver.approve(pending.get(i).getString("id"))
                    .map(a -> expect(a, 200, 409))).get(600, TimeUnit.SECONDS);
        }
    }

    private void report(int n, Probe idle, Probe held, Probe after, Probe later, Outcome outcome) {
        StringBuilder md = bench.md;
        md.append(fmt("\n## 2. %,d requests held at once (goal: no extra threads, bounded memory)\n\n", n));
        md.append(fmt("%,d held `DELETE`s of distinct configmaps over %d HTTP/2 connections (≤ %d streams each, the"
                + " gateway's limit), sent at once; after a warm-up of the same with 500. Held = pending in the"
                + " gateway's review store (read beside it) and no answer yet, 2 s later. The gateway runs in its own"
                + " JVM; its heap is measured there after two `jcmd <pid> GC.run` (`GC.heap_info`, used), its"
                + " threads from `/proc/<pid>/status`. Then every review is approved through the API (16 at a time)"
                + " and every answer awaited.\n\n", n, bench.options.connections(),
                ReviewBenchOptions.STREAMS_PER_CONNECTION));
        md.append("| gateway JVM | live threads | heap after GC (MiB) | load avg |\n|---|---:|---:|---|\n");
        bench.row("idle, after the warm-up", Integer.toString(idle.threads()), fmt("%.1f", idle.heapBytes() / 1048576.0),
                idle.load());
        bench.row(fmt("%,d held", n), Integer.toString(held.threads()), fmt("%.1f", held.heapBytes() / 1048576.0),
                held.load());
        bench.row("all approved and answered", Integer.toString(after.threads()),
                fmt("%.1f", after.heapBytes() / 1048576.0), after.load());
        bench.row("10 s later", Integer.toString(later.threads()), fmt("%.1f", later.heapBytes() / 1048576.0),
                later.load());
        md.append(fmt("\n- **bytes per held request**: (%.1f − %.1f MiB) ÷ %,d = **%,d bytes** (heap after GC; the"
                        + " held request's state, its review, its client stream and its audit event in flight)\n",
                held.heapBytes() / 1048576.0, idle.heapBytes() / 1048576.0, n, (held.heapBytes() - idle.heapBytes()) / n));
        md.append(fmt("- threads held ÷ idle: %d ÷ %d = %.2f; after ÷ idle: %.2f\n", held.threads(), idle.threads(),
                (double) held.threads() / idle.threads(), (double) after.threads() / idle.threads()));
        md.append(fmt("- heap after release ÷ idle: %.2f; 10 s later: %.2f\n", (double) after.heapBytes()
                / idle.heapBytes(), (double) later.heapBytes() / idle.heapBytes()));
        md.append(fmt("- answers: %,d × 200, %,d other%s\n", outcome.ok(), outcome.other(),
                outcome.other() == 0 ? "" : " (first: " + outcome.firstError() + ")"));
        md.append(fmt("- %,d held in %.1f s (each a review opened: a durable SQLite insert and audit event); all"
                + " approved and answered %.1f s after the first approval (%.0f approvals/s through the API)\n",
                n, outcome.secondsToHold(), outcome.secondsToRelease(), n / outcome.secondsToRelease()));
    }

    @Override
    public void close() {
        requester.close();
        approver.close();
    }
}
