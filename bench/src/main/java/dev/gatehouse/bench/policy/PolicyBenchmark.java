package dev.gatehouse.bench.policy;

import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.MatchedRule;
import dev.gatehouse.policy.PolicyLoader;
import dev.gatehouse.policy.PolicyRequest;
import dev.gatehouse.policy.RulePolicy;

/**
 * What a decision costs, against the same-run baseline {@code noPolicy} (a constant allow, what the chain did before
 * policy existed):
 * <ul>
 *   <li>{@code defaultPolicyAllow}: the shipped default policy on an ordinary read, which no rule matches (the
 *       allow path every request takes);</li>
 *   <li>{@code defaultPolicyHeld}: the same policy on a namespace delete, held by its first rule;</li>
 *   <li>{@code celConditionOverObject}: the demo policy on a Deployment update, whose CEL condition reads the object
 *       (the object turned into CEL values, then evaluated).</li>
 * </ul>
 * Run: {@code java -cp <bench classpath> org.openjdk.jmh.Main PolicyBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyBenchmark {
    private static final Decision ALLOW = new Decision.Allow(MatchedRule.DEFAULT, "");
    private RulePolicy defaults;
    private RulePolicy demo;
    private PolicyRequest read;
    private PolicyRequest delete;
    private PolicyRequest update;

    @Setup
    public void setUp() throws Exception {
        defaults = PolicyLoader.builtIn("default");
        demo = PolicyLoader.builtIn("demo");
        Identity alice = new Identity("oidc:alice", "u-1", List.of("oidc:developers", "oidc:everyone"),
                "https://idp", AuthenticationMethod.OIDC, List.of(), Map.of("email", "alice@example.com"), "jti", null);
        read = new PolicyRequest(alice, new RequestInfo("prod", "/api/v1/namespaces/team-a/pods/web-0", true, "get",
                "api", "", "v1", "team-a", "pods", "", "web-0"), null);
        delete = new PolicyRequest(alice, new RequestInfo("prod", "/api/v1/namespaces/team-a", true, "delete",
                "api", "", "v1", "team-a", "namespaces", "", "team-a"), null);
        JsonNode deployment = new ObjectMapper().readTree("""
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "team-a",
                 "labels": {"app": "web"}}, "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web",
                 "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]}}}}
                """.getBytes(StandardCharsets.UTF_8));
        update = new PolicyRequest(alice, new RequestInfo("prod", "/apis/apps/v1/namespaces/team-a/deployments/web",
                true, "update", "apis", "apps", "v1", "team-a", "deployments", "", "web"), deployment);
    }

    @Benchmark
    public Decision noPolicy() {
        return read.identity() == null ? null : ALLOW;
    }

    @Benchmark
    public Decision defaultPolicyAllow() {
        return defaults.decide(read);
    }

    @Benchmark
    public Decision defaultPolicyHeld() {
        return defaults.decide(delete);
    }

    @Benchmark
    public Decision celConditionOverObject() {
        return demo.decide(update);
    }
}
