package dev.gatehouse.bench.load;

import static dev.gatehouse.bench.load.ReviewBench.fmt;
import static dev.gatehouse.bench.load.ReviewBench.gatewayPath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.vertx.core.Future;

import dev.gatehouse.sandbox.seed.Seed;

/**
 * The allow path's CPU per request with the shipped default policy (every rule evaluated, none matches, the default
 * allows) against a policy of {@code default: allow} and no rules — the same gateway without policy in effect. Both
 * gateways run at once, each in its own JVM; the load alternates between them ABBA… at a fixed concurrency
 * (reads of pods in {@code dev}: the list, then one pod, in turn), and each run's CPU is the JVM's utime + stime
 * from {@code /proc} divided by the requests answered.
 */
final class AllowPathPhase {
    private final ReviewBench bench;

    AllowPathPhase(ReviewBench bench) {
        this.bench = bench;
    }

    /**
     * One measured run: which policy, requests answered 200, others, seconds, the gateway JVM's CPU µs, of which its
     * JIT compiler threads took {@code jitMicros}, the audit log's background verifier {@code verifierMicros} and
     * the event loops (where the policy is decided) {@code loopMicros}; its largest threads, and the load average.
     */
    record Run(String policy, long ok, long other, double seconds, long cpuMicros, long jitMicros, long verifierMicros,
               long loopMicros, String threads, String load) {
        double microsPerRequest() {
            return (double) cpuMicros / ok;
        }

        double microsPerRequestInForeground() {
            return (double) (cpuMicros - jitMicros - verifierMicros) / ok;
        }

        double eventLoopMicrosPerRequest() {
            return (double) loopMicros / ok;
        }
    }

    private static final int JIT_QUIET_PERCENT = 5;
    private static final int WARMUP_ROUNDS = 5;

    void run() throws Exception {
        String[] names = {"default", "allow-all"};
        try (Child withDefault = bench.startGateway("gateway-default-policy", null);
             Child allowAll = bench.startGateway("gateway-allow-all",
                     bench.writePolicy("allow-all.yaml", """
                             apiVersion: gatehouse.dev/v1
                             kind: Policy
                             default: allow
                             """));
             ApiClient a = bench.client(withDefault, Fixture.CLIENT_TOKEN, 1);
             ApiClient b = bench.client(allowAll, Fixture.CLIENT_TOKEN, 1)) {
            Child[] gateways = {withDefault, allowAll};
            ApiClient[] clients = {a, b};
            for (int g = 0; g < 2; g++) {
                warmUp(names[g], gateways[g], clients[g]);
            }
            List<Run> runs = new ArrayList<>();
            for (int pair = 0; pair < bench.options.cpuPairs(); pair++) {
                for (int k = 0; k < 2; k++) {
                    int g = pair % 2 == 0 ? k : 1 - k;
                    runs.add(measure(names[g], gateways[g], clients[g]));
                }
            }
            report(runs);
        }
    }

    /** Loads the gateway for {@code --cpu-warmup} seconds, again while its JIT takes more than 5 % of its CPU. */
    private void warmUp(String policy, Child gateway, ApiClient client) throws Exception {
        if (bench.options.cpuWarmup() == 0) {
            return;
        }
        for (int round = 1; round <= WARMUP_ROUNDS; round++) {
            Map<String, Long> before = ProcStat.threadCpuMicros(gateway.mainPid());
            load(client, bench.options.cpuWarmup());
            double jit = LoadHarness.jitPercent(ProcStat.perRequest(before, ProcStat.threadCpuMicros(
                    gateway.mainPid()), 1));
            System.err.println(fmt("review bench: warmed up %s (round %d): JIT %.0f%% of its CPU", policy, round, jit));
            if (jit <= JIT_QUIET_PERCENT) {
                return;
            }
        }
    }

    private Run measure(String policy, Child gateway, ApiClient client) throws Exception {
        String load = ProcStat.loadAverage();
        long pid = gateway.mainPid();
        Map<String, Long> threadsBefore = ProcStat.threadCpuMicros(pid);
        long before = ProcStat.cpuMicros(List.of(pid));
        long start = System.nanoTime();
        long[] counts = load(client, bench.options.cpuSeconds());
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = ProcStat.cpuMicros(List.of(pid)) - before;
        Map<String, Long> threadsAfter = ProcStat.threadCpuMicros(pid);
        long jit = sum(threadsAfter, "CompilerThre") - sum(threadsBefore, "CompilerThre");
        long verifier = sum(threadsAfter, "audit-verifier") - sum(threadsBefore, "audit-verifier");
        long loops = sum(threadsAfter, "vert.x-eventloo") - sum(threadsBefore, "vert.x-eventloo");
        String threads = ProcStat.perRequest(threadsBefore, threadsAfter, counts[0]).entrySet().stream().limit(4)
                .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
        System.err.println("review bench: " + policy + " " + counts[0] + " requests, " + cpu / Math.max(1, counts[0])
                + " µs/req");
        return new Run(policy, counts[0], counts[1], seconds, cpu, jit, verifier, loops, threads, load);
    }

    /** CPU µs of the threads whose name contains {@code part}. */
    private static long sum(Map<String, Long> threads, String part) {
        return threads.entrySet().stream().filter(e -> e.getKey().contains(part)).mapToLong(Map.Entry::getValue).sum();
    }

    /** Reads pods in {@code dev} at the phase's concurrency for {@code seconds}; answers 200 and others. */
    private long[] load(ApiClient client, int seconds) throws Exception {
        if (seconds == 0) {
            return new long[2];
        }
        String pod = Seed.WEB_PODS.get(ReviewBench.FREE_NAMESPACE).get(0);
        String[] paths = {gatewayPath(ReviewBench.FREE_NAMESPACE, "pods"),
                gatewayPath(ReviewBench.FREE_NAMESPACE, "pods/" + pod)};
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong ok = new AtomicLong();
        AtomicLong other = new AtomicLong();
        AtomicReference<String> first = new AtomicReference<>("");
        AtomicInteger turn = new AtomicInteger();
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int c = 0; c < bench.options.concurrency(); c++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            loops.add(done);
            new Object() {
                void next() {
                    if (System.nanoTime() > until) {
                        done.complete(null);
                        return;
                    }
                    Future<ApiClient.Answer> f = client.get(paths[turn.getAndIncrement() & 1]);
                    f.onComplete(ar -> {
                        if (ar.succeeded() && ar.result().status() == 200) {
                            ok.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                            first.compareAndSet("", ar.succeeded() ? ar.result().status() + " " + ar.result().body()
                                    : String.valueOf(ar.cause()));
                        }
                        next();
                    });
                }
            }.next();
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(seconds + 120L, TimeUnit.SECONDS);
        if (other.get() > 0) {
            throw new IllegalStateException(other.get() + " reads did not answer 200; first: " + first.get());
        }
        return new long[] {ok.get(), other.get()};
    }

    private void report(List<Run> runs) {
        StringBuilder md = bench.md;
        md.append("\n## 3. Allow path CPU: shipped default policy vs. no policy (goal ≤ 1.05)\n\n");
        md.append(fmt("Two gateway JVMs at once: `default` has no `policy:` key (the shipped `policy/default.yaml`:"
                + " 8 rules, none matches a read in `dev`, the default allows); `allow-all` has `policy.path` → a file"
                + " of `default: allow` and no rules (no policy in effect). Concurrency %d on one HTTP/2 connection,"
                + " `GET` of the pod list and of one pod in `%s` in turn; %d s warm-up rounds each, then %d s runs alternated"
                + " ABBA…. CPU: the gateway JVM's utime + stime (`/proc`, 10 ms ticks) ÷ requests answered 200; a"
                + " warm-up is repeated (up to 5 times) while the JIT compiler threads take more than 5 %% of the"
                + " gateway's CPU. The JIT compiler threads and the audit log's background verifier (`audit-verifier`,"
                + " which re-hashes new checkpoints' events whenever they come, not per request) are shown apart and"
                + " taken out in the second ratio; the third is the event loops alone, where the policy is"
                + " decided.\n\n",
                bench.options.concurrency(), ReviewBench.FREE_NAMESPACE, bench.options.cpuWarmup(),
                bench.options.cpuSeconds()));
        md.append("| run | policy | requests | req/s | gateway CPU µs/req | JIT | audit verifier | without JIT and"
                + " verifier | event loops | largest threads (µs/req) | load avg |\n"
                + "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            bench.row(Integer.toString(i + 1), r.policy(), Long.toString(r.ok()), fmt("%.0f", r.ok() / r.seconds()),
                    fmt("%.1f", r.microsPerRequest()), fmt("%.1f", (double) r.jitMicros() / r.ok()),
                    fmt("%.1f", (double) r.verifierMicros() / r.ok()), fmt("%.1f", r.microsPerRequestInForeground()),
                    fmt("%.1f", r.eventLoopMicrosPerRequest()), r.threads(), r.load());
        }
        md.append('\n');
        ratioLine(runs, "CPU per request", Run::microsPerRequest);
        ratioLine(runs, "CPU per request without the JIT compiler and the audit verifier", Run::microsPerRequestInForeground);
        ratioLine(runs, "event-loop CPU per request", Run::eventLoopMicrosPerRequest);
    }

    /** The ratio default ÷ no policy of each adjacent pair, their geometric mean and spread. */
    private void ratioLine(List<Run> runs, String what, java.util.function.ToDoubleFunction<Run> figure) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i + 1 < runs.size(); i += 2) {
            Run x = runs.get(i);
            Run y = runs.get(i + 1);
            Run def = x.policy().equals("default") ? x : y;
            Run none = def == x ? y : x;
            ratios.add(figure.applyAsDouble(def) / figure.applyAsDouble(none));
        }
        double logSum = 0;
        for (double r : ratios) {
            logSum += Math.log(r);
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        bench.md.append(fmt("- **default ÷ no policy, %s**: per pair %s; median **%.3f**, geometric mean %.3f"
                        + " (min %.3f, max %.3f)\n", what, ratios.stream().map(r -> fmt("%.3f", r)).toList(), median,
                Math.exp(logSum / ratios.size()), sorted[0], sorted[sorted.length - 1]));
    }
}
