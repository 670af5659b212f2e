package dev.gatehouse.policy;

import static dev.gatehouse.policy.Policies.oidc;
import static dev.gatehouse.policy.Policies.request;
import static dev.gatehouse.policy.Policies.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.identity.Identity;

class RuleMatchTest {
    private static final Identity ALICE = user("alice", "developers");
    private static final Identity CI = oidc("ci", "https://token.actions.githubusercontent.com",
            Map.of("repository", "org/repo", "ref", "refs/heads/main"), List.of(), "ci");
    private static final Identity AGENT = oidc("alice", "https://idp", Map.of(), List.of("agent-7", "planner"),
            "developers");
    private static final RequestInfo DELETE_NS = request("delete", "", "namespaces", "prod", "prod");
    private static final RequestInfo EXEC = request("create", "", "pods/exec", "prod", "web-0");
    private static final RequestInfo GET_POD = request("get", "", "pods", "prod", "web-0");
    private static final RequestInfo SCALE = request("patch", "apps", "deployments/scale", "prod", "web");
    private static final RequestInfo VERSION = RequestInfo.nonResource("prod-cluster", "/version", "get");
    private static final RequestInfo HEALTHZ = RequestInfo.nonResource("prod-cluster", "/healthz/etcd", "get");

    static Stream<Arguments> cases() {
        return Stream.of(
                // match, identity, request, matches?
                Arguments.of("{}", ALICE, DELETE_NS, true),
                Arguments.of("{verbs: [delete]}", ALICE, DELETE_NS, true),
                Arguments.of("{verbs: [get, list]}", ALICE, DELETE_NS, false),
                Arguments.of("{verbs: ['*']}", ALICE, DELETE_NS, true),
                Arguments.of("{users: [alice]}", ALICE, DELETE_NS, true),
                Arguments.of("{users: [Alice]}", ALICE, DELETE_NS, false),
                Arguments.of("{users: [bob]}", ALICE, DELETE_NS, false),
                Arguments.of("{groups: [sre, developers]}", ALICE, DELETE_NS, true),
                Arguments.of("{groups: [sre]}", ALICE, DELETE_NS, false),
                Arguments.of("{issuers: [tokens.csv]}", ALICE, DELETE_NS, true),
                Arguments.of("{issuers: ['https://idp']}", ALICE, DELETE_NS, false),
                Arguments.of("{methods: [static-token]}", ALICE, DELETE_NS, true),
                Arguments.of("{methods: [oidc]}", ALICE, DELETE_NS, false),
                Arguments.of("{methods: [delegated]}", AGENT, DELETE_NS, true),
                Arguments.of("{actors: [planner]}", AGENT, DELETE_NS, true),
                Arguments.of("{actors: [planner]}", ALICE, DELETE_NS, false),
                Arguments.of("{claims: {repository: [org/repo]}}", CI, DELETE_NS, true),
                Arguments.of("{claims: {repository: [org/other]}}", CI, DELETE_NS, false),
                Arguments.of("{claims: {repository: ['*']}}", CI, DELETE_NS, true),
                Arguments.of("{claims: {repository: ['*']}}", ALICE, DELETE_NS, false),
                Arguments.of("{claims: {repository: [org/repo], ref: [refs/heads/dev]}}", CI, DELETE_NS, false),
                Arguments.of("{clusters: [prod-cluster]}", ALICE, DELETE_NS, true),
                Arguments.of("{clusters: [staging]}", ALICE, DELETE_NS, false),
                Arguments.of("{apiGroups: ['']}", ALICE, DELETE_NS, true),
                Arguments.of("{apiGroups: [core]}", ALICE, DELETE_NS, true),
                Arguments.of("{apiGroups: [apps]}", ALICE, DELETE_NS, false),
                Arguments.of("{apiGroups: [apps]}", ALICE, SCALE, true),
                Arguments.of("{resources: [namespaces]}", ALICE, DELETE_NS, true),
                Arguments.of("{resources: [pods]}", ALICE, EXEC, false),
                Arguments.of("{resources: [pods/exec]}", ALICE, EXEC, true),
                Arguments.of("{resources: ['pods/*']}", ALICE, EXEC, true),
                Arguments.of("{resources: ['pods/*']}", ALICE, GET_POD, false),
                Arguments.of("{resources: ['*/exec']}", ALICE, EXEC, true),
                Arguments.of("{resources: ['*/scale']}", ALICE, SCALE, true),
                Arguments.of("{resources: [deployments]}", ALICE, SCALE, false),
                Arguments.of("{resources: ['*']}", ALICE, SCALE, true),
                Arguments.of("{resources: [pods/attach]}", ALICE, EXEC, false),
                Arguments.of("{namespaces: [prod]}", ALICE, DELETE_NS, true),
                Arguments.of("{namespaces: [prod]}", ALICE, request("get", "", "nodes", "", "n1"), false),
                Arguments.of("{namespaces: ['']}", ALICE, request("get", "", "nodes", "", "n1"), true),
                Arguments.of("{namespaces: ['']}", ALICE, GET_POD, false),
                Arguments.of("{names: [web-0]}", ALICE, GET_POD, true),
                Arguments.of("{names: [web-1]}", ALICE, GET_POD, false),
                Arguments.of("{resources: [pods]}", ALICE, VERSION, false),
                Arguments.of("{nonResourceURLs: [/version]}", ALICE, VERSION, true),
                Arguments.of("{nonResourceURLs: [/version]}", ALICE, GET_POD, false),
                Arguments.of("{nonResourceURLs: ['/healthz/*']}", ALICE, HEALTHZ, true),
                Arguments.of("{nonResourceURLs: ['/healthz/*']}", ALICE, VERSION, false),
                Arguments.of("{nonResourceURLs: ['*']}", ALICE, VERSION, true),
                Arguments.of("{verbs: [get]}", ALICE, VERSION, true),
                Arguments.of("{verbs: [delete], resources: [namespaces], groups: [developers], clusters: [prod-cluster]}",
                        ALICE, DELETE_NS, true),
                Arguments.of("{verbs: [delete], resources: [namespaces], groups: [sre]}", ALICE, DELETE_NS, false));
    }

    @ParameterizedTest(name = "{0} / {1} / {2} -> {3}")
    @MethodSource("cases")
    void matchesWhatTheFieldsSay(String match, Identity who, RequestInfo what, boolean expected) {
        RulePolicy policy = Policies.withRules("""
                  - name: the-rule
                    match: %s
                    decision: deny
                """.formatted(match));
        Decision decision = policy.decide(Policies.ask(who, what));
        assertThat(decision.rule().name()).isEqualTo(expected ? "the-rule" : "(default)");
        assertThat(decision.word()).isEqualTo(expected ? "deny" : "allow");
    }
}
