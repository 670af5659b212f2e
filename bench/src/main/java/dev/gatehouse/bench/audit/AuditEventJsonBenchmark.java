package dev.gatehouse.bench.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;

/**
 * What the event loop pays to turn one request's completed audit event into the bytes the log hashes and
 * writes ({@link AuditEventJson#toBytes}): an OIDC user's {@code get pods} with an object reference, a CI
 * identity's attributes and the Gatehouse section, as {@code Recorder} builds it.
 * Run: {@code java -cp <bench classpath> org.openjdk.jmh.Main AuditEventJsonBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class AuditEventJsonBenchmark {
    final AuditEvent event = event();

    static AuditEvent event() {
        Instant now = Instant.parse("2026-12-04T19:00:00.123456Z");
        AuditEvent.Authn authn = new AuditEvent.Authn("oidc", "https://token.actions.githubusercontent.com",
                "jti:5f0c2a9e-61b4-4c1e-9a57-3d2f7c0b8e11", false, List.of(),
                Map.of("repository", "acme/deploy", "ref", "refs/heads/main", "workflow", "release"));
        AuditEvent.Gatehouse gh = new AuditEvent.Gatehouse("request", Long.MAX_VALUE, "prod-eu", "allow", null,
                1834L, 0L, 5123L, authn, "impersonate", null);
        return new AuditEvent("Event", "audit.k8s.io/v1", "Metadata", "7d1c7b0e-2f5a-4c8e-b3f1-0a9d6e4c2b17",
                AuditEvent.STAGE_RESPONSE_COMPLETE, "/api/v1/namespaces/payments/pods?limit=500", "list",
                new AuditEvent.UserInfo("gh:repo:acme/deploy:ref:refs/heads/main", "gh-1234",
                        List.of("gh:acme", "system:authenticated"), null),
                null, List.of("10.1.2.3"), "kubectl/v1.32.5 (linux/amd64) kubernetes/9894294",
                new AuditEvent.ObjectRef("pods", "payments", null, "", "v1", null),
                new AuditEvent.ResponseStatus(Map.of(), null, null, null, 200),
                AuditEvent.timestamp(now), AuditEvent.timestamp(now.plusNanos(1_834_000)), null, gh);
    }

    @Benchmark
    public byte[] toBytes() {
        return AuditEventJson.toBytes(event);
    }
}
