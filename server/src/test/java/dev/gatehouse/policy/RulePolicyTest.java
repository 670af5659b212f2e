package dev.gatehouse.policy;

import static dev.gatehouse.policy.Policies.ask;
import static dev.gatehouse.policy.Policies.request;
import static dev.gatehouse.policy.Policies.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.identity.Identity;

class RulePolicyTest {
    private static final Identity ALICE = user("alice", "developers");
    private static final Identity BOB = user("bob", "sre", "developers");
    private static final Identity CAROL = user("carol", "auditors");

    @Test
    void theFirstMatchingRuleDecidesElseTheDefault() {
        RulePolicy policy = Policies.withRules("""
                  - name: sre-anything
                    match: {groups: [sre]}
                    decision: allow
                  - name: no-deletes
                    match: {verbs: [delete]}
                    decision: deny
                    message: "deletes go through the change process"
                  - name: hold-exec
                    match: {resources: [pods/exec]}
                    decision: review
                    reviewers: sre
                    mask: clear
                """);
        RequestInfo delete = request("delete", "", "pods", "dev", "web-0");
        assertThat(policy.decide(ask(BOB, delete))).isEqualTo(new Decision.Allow(
                new MatchedRule("sre-anything", "policy.yaml", 7), ""));
        assertThat(policy.decide(ask(ALICE, delete))).isEqualTo(new Decision.Deny(
                new MatchedRule("no-deletes", "policy.yaml", 10), "", "deletes go through the change process"));
        Decision exec = policy.decide(ask(ALICE, request("create", "", "pods/exec", "dev", "web-0")));
        assertThat(exec).isInstanceOf(Decision.Review.class);
        assertThat(exec.maskProfile()).isEqualTo("clear");
        assertThat(((Decision.Review) exec).requirement().approverGroups()).containsExactly("sre");
        assertThat(policy.decide(ask(ALICE, request("get", "", "pods", "dev", "web-0"))).rule())
                .isEqualTo(MatchedRule.DEFAULT);
    }

    @Test
    void aDenyWithoutAMessageSaysWhoCannotDoWhatLikeTheApiserver() {
        RulePolicy policy = Policies.withRules("""
                  - name: no-secrets
                    match: {resources: [secrets]}
                    decision: deny
                  - name: no-version
                    match: {nonResourceURLs: [/version]}
                    decision: deny
                """);
        assertThat(((Decision.Deny) policy.decide(ask(ALICE, request("get", "", "secrets", "prod", "db")))).message())
                .isEqualTo("User \"alice\" cannot get resource \"secrets\" in the namespace \"prod\": denied by "
                        + "Gatehouse policy rule \"no-secrets\"");
        assertThat(((Decision.Deny) policy.decide(ask(ALICE, RequestInfo.nonResource("c", "/version", "get"))))
                .message()).isEqualTo("User \"alice\" cannot get path \"/version\": denied by Gatehouse policy rule "
                + "\"no-version\"");
    }

    @Test
    void aDefaultDenyNamesNoRule() {
        RulePolicy policy = Policies.parse("apiVersion: gatehouse.dev/v1\nkind: Policy\ndefault: deny\n");
        Decision d = policy.decide(ask(ALICE, request("get", "", "pods", "dev", "")));
        assertThat(d.word()).isEqualTo("deny");
        assertThat(d.rule()).isEqualTo(MatchedRule.DEFAULT);
    }

    @Test
    void requestsSpelledDifferentlyStillMatchOrAreRefusedAtLoad() {
        RulePolicy policy = Policies.withRules("""
                  - name: core-exec
                    match: {apiGroups: [core], resources: [pods/exec]}
                    decision: deny
                """);
        assertThat(policy.decide(ask(ALICE, request("create", "", "pods/exec", "prod", "p"))).word())
                .isEqualTo("deny");
        // a group that merely looks like core is not core
        assertThat(policy.decide(ask(ALICE, request("create", "core", "pods/exec", "prod", "p"))).word())
                .isEqualTo("allow");
        // the apiserver serves only lower-case resources, so a capitalised one is a mistake in the policy
        assertThatThrownBy(() -> Policies.withRules("""
                  - name: r
                    match: {resources: [Pods/Exec]}
                    decision: deny
                """)).isInstanceOf(PolicyException.class).hasMessageContaining("\"Pods/Exec\"");
    }

    static Stream<Arguments> shadowed() {
        return Stream.of(
                Arguments.of("{verbs: [delete]}", "{verbs: [delete], resources: [pods]}", true),
                Arguments.of("{}", "{groups: [sre]}", true),
                Arguments.of("{resources: ['pods/*']}", "{resources: [pods/exec, pods/log]}", true),
                Arguments.of("{resources: ['pods/*']}", "{resources: [pods]}", false),
                Arguments.of("{resources: ['*/scale']}", "{resources: [deployments/scale]}", true),
                Arguments.of("{resources: [pods/exec]}", "{resources: ['pods/*']}", false),
                Arguments.of("{groups: [sre, dev]}", "{groups: [sre]}", true),
                Arguments.of("{groups: [sre]}", "{groups: [sre, dev]}", false),
                Arguments.of("{groups: [sre]}", "{users: [bob]}", false),
                Arguments.of("{resources: [pods]}", "{nonResourceURLs: [/version]}", false),
                Arguments.of("{verbs: [get]}", "{verbs: [get], nonResourceURLs: [/version]}", true),
                Arguments.of("{nonResourceURLs: ['/healthz/*']}", "{nonResourceURLs: [/healthz/etcd]}", true),
                Arguments.of("{nonResourceURLs: ['/healthz/*']}", "{nonResourceURLs: [/healthz]}", false),
                Arguments.of("{claims: {repo: ['*']}}", "{claims: {repo: [a], ref: [main]}}", true),
                Arguments.of("{claims: {repo: [a]}}", "{claims: {repo: ['*']}}", false),
                Arguments.of("{claims: {repo: [a]}}", "{}", false),
                Arguments.of("{namespaces: [prod]}", "{namespaces: [prod], verbs: [get]}", true),
                Arguments.of("{apiGroups: ['']}", "{apiGroups: [core]}", true));
    }

    @ParameterizedTest(name = "{0} before {1}: shadowed {2}")
    @MethodSource("shadowed")
    void aRuleThatAnEarlierUnconditionalRuleCoversIsRefused(String first, String later, boolean isShadowed) {
        String rules = """
                  - name: first
                    match: %s
                    decision: allow
                  - name: later
                    match: %s
                    decision: deny
                """.formatted(first, later);
        if (isShadowed) {
            assertThatThrownBy(() -> Policies.withRules(rules)).isInstanceOf(PolicyException.class)
                    .hasMessageStartingWith("policy.yaml:10: rule \"later\": never matches: rule \"first\" "
                            + "(policy.yaml:7) comes first");
        } else {
            assertThat(Policies.withRules(rules).summary().rules()).isEqualTo(2);
        }
    }

    @Test
    void anEarlierRuleWithAConditionShadowsNothing() {
        assertThat(Policies.withRules("""
                  - name: first
                    match: {verbs: [create]}
                    when: "object != null"
                    decision: allow
                  - name: later
                    match: {verbs: [create]}
                    decision: deny
                """).summary().rules()).isEqualTo(2);
    }

    static Stream<Arguments> defaultPolicy() {
        return Stream.of(
                Arguments.of("delete", "", "namespaces", "team-a", "team-a", "hold-namespace-delete"),
                Arguments.of("create", "", "pods/exec", "prod", "web-0", "hold-sessions-in-protected-namespaces"),
                Arguments.of("create", "", "pods/attach", "kube-system", "p", "hold-sessions-in-protected-namespaces"),
                Arguments.of("create", "", "pods/portforward", "production", "p",
                        "hold-sessions-in-protected-namespaces"),
                Arguments.of("create", "", "pods/exec", "dev", "web-0", "(default)"),
                Arguments.of("patch", "", "pods/ephemeralcontainers", "prod", "p",
                        "hold-ephemeral-containers-in-protected-namespaces"),
                Arguments.of("get", "", "nodes/proxy", "", "node-1", "hold-node-proxy"),
                Arguments.of("get", "", "secrets", "kube-system", "bootstrap", "hold-secret-reads-in-system-namespaces"),
                Arguments.of("list", "", "secrets", "kube-public", "", "hold-secret-reads-in-system-namespaces"),
                Arguments.of("watch", "", "secrets", "gatehouse-system", "", "hold-secret-reads-in-system-namespaces"),
                Arguments.of("get", "", "secrets", "dev", "db", "(default)"),
                Arguments.of("patch", "apps", "deployments/scale", "prod", "web", "hold-writes-in-critical-namespaces"),
                Arguments.of("patch", "apps", "deployments", "production", "web",
                        "hold-writes-in-critical-namespaces"),
                Arguments.of("delete", "", "configmaps", "kube-system", "x", "hold-writes-in-critical-namespaces"),
                Arguments.of("create", "apps", "deployments", "prod", "", "(default)"),
                Arguments.of("escalate", "rbac.authorization.k8s.io", "clusterroles", "", "admin",
                        "hold-rbac-escalation"),
                Arguments.of("bind", "rbac.authorization.k8s.io", "clusterroles", "", "admin", "hold-rbac-escalation"),
                Arguments.of("impersonate", "", "users", "", "admin", "hold-rbac-escalation"),
                Arguments.of("delete", "apiextensions.k8s.io", "customresourcedefinitions", "", "x.example.com",
                        "hold-crd-delete"),
                Arguments.of("get", "", "pods", "prod", "web-0", "(default)"));
    }

    @ParameterizedTest(name = "{0} {2} in {3}: {5}")
    @MethodSource("defaultPolicy")
    void theShippedDefaultHoldsWhatIsPrivilegedAndAllowsTheRest(String verb, String group, String resource,
                                                                 String namespace, String name, String rule) {
        Decision d = PolicyLoader.builtIn("default").decide(ask(ALICE, request(verb, group, resource, namespace,
                name)));
        assertThat(d.rule().name()).isEqualTo(rule);
        assertThat(d.word()).isEqualTo(rule.equals("(default)") ? "allow" : "review");
        if (d instanceof Decision.Review r) {
            assertThat(r.requirement().approverGroups()).containsExactly("system:masters");
            assertThat(d.rule().source()).isEqualTo("default.yaml");
        }
    }

    @Test
    void theDemoHoldsAliceAndLetsSreApprove() {
        RulePolicy demo = PolicyLoader.builtIn("demo");
        Decision delete = demo.decide(ask(ALICE, request("delete", "", "namespaces", "team-a", "team-a")));
        assertThat(delete.rule().name()).isEqualTo("hold-namespace-delete");
        assertThat(((Decision.Review) delete).requirement().approverGroups()).contains("sre");
        assertThat(demo.decide(ask(ALICE, request("create", "", "pods/exec", "prod", "web-0"))).rule().name())
                .isEqualTo("hold-sessions-in-prod");
        assertThat(demo.decide(ask(ALICE, request("create", "", "pods/exec", "dev", "web-0"))).word())
                .isEqualTo("allow");
        assertThat(demo.decide(ask(CAROL, request("delete", "", "pods", "dev", "web-0"))).word()).isEqualTo("deny");
        assertThat(demo.decide(ask(CAROL, request("get", "", "pods", "dev", "web-0"))).word()).isEqualTo("allow");
        assertThat(demo.needsObject(ALICE, request("patch", "apps", "deployments/scale", "dev", "web"))).isTrue();
        assertThat(demo.needsObject(CAROL, request("patch", "apps", "deployments/scale", "dev", "web"))).isFalse();
    }

    @Test
    void theDemoAsksForTheClearProfileOnReadsOnly() {
        RulePolicy demo = PolicyLoader.builtIn("demo");
        Decision read = demo.decide(ask(ALICE, request("get", "", "secrets", "dev", "db")));
        assertThat(read.rule().name()).isEqualTo("break-glass-clear-reads");
        assertThat(read.maskProfile()).isEqualTo("clear");
        assertThat(demo.decide(ask(ALICE, request("get", "", "secrets", "kube-system", "x"))).maskProfile())
                .isEqualTo("clear");
        assertThat(demo.decide(ask(ALICE, request("create", "", "secrets", "dev", ""))).maskProfile()).isEmpty();
    }
}
