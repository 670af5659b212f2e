package dev.gatehouse.policy;

import static dev.gatehouse.policy.Policies.oidc;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.identity.Identity;

class ConditionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Identity CI = oidc("ci", "https://issuer", Map.of("repository", "org/repo"),
            List.of("agent-1"), "ci", "deployers");
    private static final RequestInfo CREATE = request("create", "apps", "deployments", "prod", "");
    private static final String DEPLOYMENT = """
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"team": "a"}},
             "spec": {"replicas": 12, "paused": false, "ratio": 0.5,
                      "template": {"spec": {"containers": [{"name": "c", "image": "nginx:1", "securityContext":
                      {"privileged": true}}]}}}}
            """;

    static Stream<Arguments> conditions() {
        return Stream.of(
                Arguments.of("object.spec.replicas > 10", DEPLOYMENT, "review"),
                Arguments.of("object.spec.replicas > 10.5", DEPLOYMENT, "review"),
                Arguments.of("object.spec.replicas > 20", DEPLOYMENT, "allow"),
                Arguments.of("object.spec.ratio == 0.5", DEPLOYMENT, "review"),
                Arguments.of("object.spec.paused == false", DEPLOYMENT, "review"),
                Arguments.of("object.metadata.labels.team == 'a'", DEPLOYMENT, "review"),
                Arguments.of("object.spec.template.spec.containers.exists(c, has(c.securityContext) && "
                        + "c.securityContext.privileged)", DEPLOYMENT, "review"),
                Arguments.of("object.spec.template.spec.containers.all(c, c.image.startsWith('registry.local/'))",
                        DEPLOYMENT, "allow"),
                Arguments.of("has(object.metadata.annotations) && object.metadata.annotations.x == 'y'", DEPLOYMENT,
                        "allow"),
                Arguments.of("object == null", null, "review"),
                Arguments.of("object != null && object.spec.replicas > 10", null, "allow"),
                Arguments.of("identity.user == 'ci' && 'deployers' in identity.groups", DEPLOYMENT, "review"),
                Arguments.of("identity.claims.repository == 'org/repo'", DEPLOYMENT, "review"),
                Arguments.of("identity.method == 'delegated' && 'agent-1' in identity.actors", DEPLOYMENT, "review"),
                Arguments.of("identity.issuer == 'https://issuer' && identity.uid == 'uid-ci'", DEPLOYMENT, "review"),
                Arguments.of("request.namespace == 'prod' && request.verb == 'create' && request.apiGroup == 'apps'"
                        + " && request.resource == 'deployments' && request.cluster == 'prod-cluster'", DEPLOYMENT,
                        "review"),
                Arguments.of("request.path.startsWith('/apis/apps/v1/namespaces/prod')", DEPLOYMENT, "review"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("conditions")
    void conditionsSeeTheObjectTheIdentityAndTheRequest(String when, String object, String expected)
            throws Exception {
        RulePolicy policy = Policies.withRules("""
                  - name: conditional
                    match: {verbs: [create]}
                    when: "%s"
                    decision: review
                    reviewers: sre
                """.formatted(when.replace("\"", "\\\"")));
        JsonNode body = object == null ? null : JSON.readTree(object);
        assertThat(policy.decide(new PolicyRequest(CI, CREATE, body)).word()).isEqualTo(expected);
    }

    static Stream<Arguments> failing() {
        return Stream.of(
                Arguments.of("object.spec.missing > 1", "allow", "key 'missing' is not present in map"),
                Arguments.of("object.spec.replicas > 1", "review", "Field selections must be performed on messages"),
                Arguments.of("object.spec.replicas + 'x' == 'y'", "deny", "No matching overload"),
                Arguments.of("object.spec", "allow", "(expected: bool)"),
                Arguments.of("identity.claims.branch == 'main'", "allow", "key 'branch' is not present in map"),
                Arguments.of("object.spec.template.spec.containers.map(c, [1,2,3,4,5,6,7,8,9,10].map(a, "
                        + "[1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10].map(d, [1,2,3,4,5,6,7,8,9,10].map(e, a)))))"
                        + "[0].size() > 0", "allow",
                        "budget"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failing")
    void aConditionThatCannotBeEvaluatedDeniesTheRequestWhateverTheRuleSays(String when, String decision,
                                                                            String error) throws Exception {
        RulePolicy policy = Policies.withRules("""
                  - name: fragile
                    match: {verbs: [create]}
                    when: "%s"
                    decision: %s
                    %s
                """.formatted(when, decision, decision.equals("review") ? "reviewers: sre" : ""));
        JsonNode body = when.contains("replicas > 1") ? null : JSON.readTree(DEPLOYMENT);
        Decision d = policy.decide(new PolicyRequest(CI, CREATE, body));
        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(d.rule().name()).isEqualTo("fragile");
        assertThat(((Decision.Deny) d).message()).startsWith("Gatehouse policy rule \"fragile\" could not evaluate "
                + "its condition for this request (").contains(error).endsWith("so the request is denied");
    }

    @Test
    void aFalseConditionFallsThroughToTheNextRule() {
        RulePolicy policy = Policies.withRules("""
                  - name: big
                    match: {verbs: [create]}
                    when: "object != null && object.spec.replicas > 100"
                    decision: deny
                  - name: creates
                    match: {verbs: [create]}
                    decision: review
                    reviewers: sre
                """);
        assertThat(policy.decide(new PolicyRequest(user("alice"), CREATE, null)).rule().name()).isEqualTo("creates");
    }

    @Test
    void theObjectIsReadOnlyWhenARuleThatCouldDecideNeedsIt() {
        RulePolicy policy = Policies.withRules("""
                  - name: auditors
                    match: {groups: [auditors]}
                    decision: deny
                  - name: big-deployments
                    match: {verbs: [create, update, patch], resources: [deployments]}
                    when: "object.spec.replicas > 10"
                    decision: review
                    reviewers: sre
                  - name: creates
                    match: {verbs: [create]}
                    decision: allow
                  - name: late-object-rule
                    match: {verbs: [create, update], resources: [configmaps, deployments]}
                    when: "has(object.data)"
                    decision: deny
                """);
        Identity alice = user("alice", "developers");
        assertThat(policy.needsObject(alice, CREATE)).isTrue();
        assertThat(policy.needsObject(alice, request("update", "apps", "deployments", "prod", "web"))).isTrue();
        assertThat(policy.needsObject(user("carol", "auditors"), CREATE)).isFalse();
        assertThat(policy.needsObject(alice, request("create", "", "configmaps", "prod", ""))).isFalse();
        assertThat(policy.needsObject(alice, request("update", "", "configmaps", "prod", "c"))).isTrue();
        assertThat(policy.needsObject(alice, request("delete", "apps", "deployments", "prod", "web"))).isFalse();
        assertThat(policy.needsObject(alice, request("get", "apps", "deployments", "prod", "web"))).isFalse();
        assertThat(policy.needsObject(alice, RequestInfo.nonResource("c", "/version", "create"))).isFalse();
    }
}
