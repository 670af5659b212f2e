package dev.gatehouse.policy;

import static dev.gatehouse.policy.Policies.ask;
import static dev.gatehouse.policy.Policies.request;
import static dev.gatehouse.policy.Policies.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;

/** Identities and requests crafted to slip past a rule: "*" is a wildcard only in the policy, never in a request. */
class HostileRequestTest {
    private static final RulePolicy POLICY = Policies.withRules("""
              - name: sre-only-exec
                match: {groups: [sre], resources: [pods/exec]}
                decision: allow
              - name: no-exec
                match: {resources: [pods/exec]}
                decision: deny
              - name: bob-deletes
                match: {users: [bob], verbs: [delete], claims: {team: [platform]}}
                decision: allow
              - name: no-deletes
                match: {verbs: [delete]}
                decision: deny
              - name: health-only
                match: {nonResourceURLs: ['/healthz/*']}
                decision: allow
              - name: no-other-paths
                match: {nonResourceURLs: ['*']}
                decision: deny
            """);

    static Stream<Arguments> forged() {
        return Stream.of(
                Arguments.of(user("*", "*"), request("create", "", "pods/exec", "prod", "p"), "no-exec"),
                Arguments.of(user("alice", "SRE"), request("create", "", "pods/exec", "prod", "p"), "no-exec"),
                Arguments.of(user("alice", "sre "), request("create", "", "pods/exec", "prod", "p"), "no-exec"),
                Arguments.of(user("alice", "developers"), request("create", "", "pods/*", "prod", "p"), "(default)"),
                Arguments.of(user("alice", "sre"), request("create", "", "pods/exec", "prod", "p"), "sre-only-exec"),
                Arguments.of(user("bob"), request("delete", "", "pods", "prod", "p"), "no-deletes"),
                Arguments.of(claims("bob", Map.of("team", "Platform")), request("delete", "", "pods", "prod", "p"),
                        "no-deletes"),
                Arguments.of(claims("bob", Map.of("team", "*")), request("delete", "", "pods", "prod", "p"),
                        "no-deletes"),
                Arguments.of(claims("bob", Map.of("team", "platform")), request("delete", "", "pods", "prod", "p"),
                        "bob-deletes"),
                Arguments.of(claims("Bob", Map.of("team", "platform")), request("delete", "", "pods", "prod", "p"),
                        "no-deletes"),
                Arguments.of(user("alice"), RequestInfo.nonResource("c", "/healthzfoo", "get"), "no-other-paths"),
                Arguments.of(user("alice"), RequestInfo.nonResource("c", "/healthz", "get"), "no-other-paths"),
                Arguments.of(user("alice"), RequestInfo.nonResource("c", "/healthz/etcd", "get"), "health-only"),
                Arguments.of(user("alice"), RequestInfo.nonResource("c", "/api/v1/namespaces/x/pods/p/exec",
                        "post"), "no-other-paths"));
    }

    private static Identity claims(String name, Map<String, String> attributes) {
        return new Identity(name, "", List.of(), "https://idp", AuthenticationMethod.OIDC, List.of(), attributes, "",
                null);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("forged")
    void aForgedSpellingNeverMatchesARuleMeantForSomeoneElse(Identity who, RequestInfo what, String rule) {
        assertThat(POLICY.decide(ask(who, what)).rule().name()).isEqualTo(rule);
    }

    @Test
    void aReplayedDecisionIsTheSameDecision() {
        RequestInfo exec = request("create", "", "pods/exec", "prod", "p");
        Decision first = POLICY.decide(ask(user("alice"), exec));
        for (int i = 0; i < 1000; i++) {
            assertThat(POLICY.decide(ask(user("alice"), exec))).isEqualTo(first);
        }
    }

    @Test
    void anObjectThatIsNotAMapFailsClosedInsteadOfMatchingNothing() throws Exception {
        RulePolicy policy = Policies.withRules("""
                  - name: no-privileged
                    match: {verbs: [create, patch]}
                    when: "object.spec.privileged == true"
                    decision: deny
                """);
        var patchArray = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "[{\"op\": \"replace\", \"path\": \"/spec/privileged\", \"value\": true}]");
        Decision d = policy.decide(new PolicyRequest(user("alice"), request("patch", "", "pods", "prod", "p"),
                patchArray));
        assertThat(d.word()).isEqualTo("deny");
        assertThat(((Decision.Deny) d).message()).contains("could not evaluate its condition");
    }
}
