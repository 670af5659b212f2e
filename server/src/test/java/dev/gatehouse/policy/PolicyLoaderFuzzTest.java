package dev.gatehouse.policy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.gatehouse.classify.RequestInfo;

/**
 * Policy files, hostile or broken: every input either loads or is refused with a {@link PolicyException}, never
 * anything else (no other exception, no hang on aliases). Half the inputs are raw bytes, half a policy document with
 * fuzzed values in its fields, so the fuzzer reaches the rule parser and the CEL compiler too; what loads also
 * decides a request. Jazzer fuzzes one target per JVM, so each target has its own class; the suite runs every class
 * in fuzzing mode for a few seconds ({@code fuzz} execution in server/pom.xml), {@code scripts/fuzz.sh} for longer.
 * Inputs that broke a target are kept under src/test/resources and replayed in every run.
 */
class PolicyLoaderFuzzTest {
    private static final List<String> FIELDS = List.of("verbs", "resources", "apiGroups", "namespaces", "names",
            "nonResourceURLs", "groups", "users", "methods", "claims", "clusters", "actors", "issuers");

    @FuzzTest(maxDuration = "15s")
    void policiesLoadOrAreRefusedWithAPolicyException(FuzzedDataProvider data) {
        byte[] yaml = data.consumeBoolean() ? data.consumeRemainingAsBytes() : templated(data);
        RulePolicy policy;
        try {
            policy = PolicyLoader.parse("fuzz.yaml", yaml);
        } catch (PolicyException refused) {
            return;
        }
        RequestInfo request = Policies.request("create", "apps", "deployments/scale", "prod", "web");
        policy.needsObject(Policies.user("alice", "developers"), request);
        policy.decide(Policies.ask(Policies.user("alice", "developers"), request));
    }

    private static byte[] templated(FuzzedDataProvider data) {
        StringBuilder b = new StringBuilder("apiVersion: gatehouse.dev/v1\nkind: Policy\ndefault: ")
                .append(data.pickValue(List.of("allow", "deny", "review", data.consumeString(8)))).append('\n');
        b.append("defaultReviewers: {groups: [sre], holdTime: ").append(quoted(data.consumeString(10)))
                .append("}\nreviewers:\n  sre: {groups: [sre], approvals: ").append(data.consumeInt(-2, 200))
                .append(", validity: ").append(quoted(data.consumeString(8))).append("}\nrules:\n");
        int rules = data.consumeInt(0, 4);
        for (int i = 0; i < rules; i++) {
            b.append("  - name: ").append(quoted(data.consumeString(12))).append('\n');
            b.append("    match: {").append(data.pickValue(FIELDS)).append(": [").append(quoted(data.consumeString(16)))
                    .append("]}\n");
            if (data.consumeBoolean()) {
                b.append("    when: ").append(quoted(data.consumeString(60))).append('\n');
            }
            b.append("    decision: ").append(data.pickValue(List.of("allow", "deny", "review"))).append('\n');
            if (data.consumeBoolean()) {
                b.append("    reviewers: sre\n");
            }
            if (data.consumeBoolean()) {
                b.append(data.consumeString(40)).append('\n');
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
