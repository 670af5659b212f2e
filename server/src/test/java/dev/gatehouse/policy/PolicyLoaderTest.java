package dev.gatehouse.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyLoaderTest {
    @TempDir
    Path tmp;

    /** Rules after the 6-line header: the first rule's "- name" is on line 7. */
    static Stream<Arguments> badRules() {
        return Stream.of(
                Arguments.of("""
                          - name: exec-prod
                            match: {resources: [pods/exec]}
                            when: objet.spec.x == 1
                            decision: review
                            reviewers: sre
                        """, "policy.yaml:9: rule \"exec-prod\": when: undeclared reference to 'objet' (expected: a "
                        + "CEL expression over identity, request, object)"),
                Arguments.of("""
                          - name: r
                            when: "1 +"
                            decision: allow
                        """, "policy.yaml:8: rule \"r\": when: "),
                Arguments.of("""
                          - name: not-boolean
                            when: request.verb
                            decision: allow
                        """, "policy.yaml:8: rule \"not-boolean\": when: evaluates to string (expected: a condition "
                        + "that evaluates to bool)"),
                Arguments.of("""
                          - name: r
                            match: {verbs: [delete]}
                            decison: deny
                        """, "policy.yaml:9: rule \"r\": decison: unknown field"),
                Arguments.of("""
                          - name: r
                            match: {verbs: [delete]}
                        """, "policy.yaml:7: rule \"r\": decision: missing (expected: allow, deny or review)"),
                Arguments.of("""
                          - name: r
                            decision: block
                        """, "policy.yaml:8: rule \"r\": decision: \"block\" (expected: allow, deny or review)"),
                Arguments.of("""
                          - name: r
                            match: {verbs: [delete]}
                            decision: review
                        """, "policy.yaml:7: rule \"r\": reviewers: missing (expected: a review rule names who may "
                        + "approve"),
                Arguments.of("""
                          - name: r
                            decision: review
                            reviewers: ops
                        """, "policy.yaml:9: rule \"r\": reviewers: \"ops\" is not a reviewer set (expected one of "
                        + "[sre], or groups/users inline)"),
                Arguments.of("""
                          - name: r
                            decision: review
                            reviewers: {users: [bob], approvals: 2}
                        """, "policy.yaml:9: rule \"r\": reviewers.approvals: 2 (expected: at most 1, the number of "
                        + "users, when no group is named)"),
                Arguments.of("""
                          - name: r
                            decision: review
                            reviewers: {groups: [sre], holdTime: 60 seconds}
                        """, "rule \"r\": reviewers.holdTime: \"60 seconds\" (expected: a duration such as 60s"),
                Arguments.of("""
                          - name: r
                            decision: review
                            reviewers: {groups: [sre], approvals: "two"}
                        """, "rule \"r\": reviewers.approvals: \"two\" (expected: a whole number from 1 to 100)"),
                Arguments.of("""
                          - name: r
                            decision: review
                            reviewers: {}
                        """, "rule \"r\": reviewers.groups: missing (expected: groups or users who may approve)"),
                Arguments.of("""
                          - name: r
                            decision: allow
                            message: hi
                        """, "policy.yaml:9: rule \"r\": message: given for a allow rule"),
                Arguments.of("""
                          - name: r
                            decision: deny
                          - name: r
                            match: {verbs: [get]}
                            decision: deny
                        """, "policy.yaml:9: rule \"r\": name: duplicate (expected: unique; rule \"r\" is already at "
                        + "policy.yaml:7)"),
                Arguments.of("""
                          - match: {verbs: [get]}
                            decision: deny
                        """, "policy.yaml:7: name: missing"),
                Arguments.of("""
                          - name: r
                            match: {verbs: [DELETE]}
                            decision: deny
                        """, "policy.yaml:8: rule \"r\": match.verbs: \"DELETE\" (expected: a lower-case verb"),
                Arguments.of("""
                          - name: r
                            match: {resources: [Pods]}
                            decision: deny
                        """, "policy.yaml:8: rule \"r\": match.resources: \"Pods\" (expected: a lower-case resource"),
                Arguments.of("""
                          - name: r
                            match: {resources: [pods/]}
                            decision: deny
                        """, "match.resources: \"pods/\""),
                Arguments.of("""
                          - name: r
                            match: {namespaces: [Prod]}
                            decision: deny
                        """, "match.namespaces: \"Prod\" (expected: a namespace"),
                Arguments.of("""
                          - name: r
                            match: {methods: [password]}
                            decision: deny
                        """, "match.methods: \"password\" (expected: one of [static-token, oidc, service-account, "
                        + "delegated])"),
                Arguments.of("""
                          - name: r
                            match: {verbs: []}
                            decision: deny
                        """, "match.verbs: an empty list"),
                Arguments.of("""
                          - name: r
                            match: {verbs: {delete: true}}
                            decision: deny
                        """, "match.verbs: a mapping (expected: a list)"),
                Arguments.of("""
                          - name: r
                            match: {resources: [pods], nonResourceURLs: [/version]}
                            decision: deny
                        """, "match.nonResourceURLs: given with apiGroups/resources/namespaces/names"),
                Arguments.of("""
                          - name: r
                            match: {nonResourceURLs: [version]}
                            decision: deny
                        """, "match.nonResourceURLs: \"version\" (expected: a path"),
                Arguments.of("""
                          - name: r
                            match: {verb: [get]}
                            decision: deny
                        """, "policy.yaml:8: rule \"r\": match.verb: unknown field (expected one of [clusters,"),
                Arguments.of("""
                          - name: r
                            match: {verbs: [delete]}
                            when: object.spec.x == 1
                            decision: deny
                        """, "rule \"r\": when: refers to object, but the rule matches only [delete] requests"),
                Arguments.of("""
                          - name: "bad name!"
                            decision: deny
                        """, "name: \"bad name!\" (expected: letters, digits"),
                Arguments.of("""
                          - name: r
                            decision: deny
                            mask: "a b"
                        """, "rule \"r\": mask: \"a b\""),
                Arguments.of("""
                          - name: r
                            decision: allow
                            mask: strict
                        """, "rule \"r\": mask: \"strict\" (expected: a masking profile: masked or clear)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badRules")
    void refusesABadRuleNamingFileLineAndRule(String rules, String message) {
        assertThatThrownBy(() -> Policies.withRules(rules)).isInstanceOf(PolicyException.class)
                .hasMessageContaining(message);
    }

    static Stream<Arguments> badDocuments() {
        return Stream.of(
                Arguments.of("kind: Policy\ndefault: allow\n", "policy.yaml:1: apiVersion: missing (expected: "
                        + "gatehouse.dev/v1)"),
                Arguments.of("apiVersion: gatehouse.dev/v2\nkind: Policy\ndefault: allow\n",
                        "policy.yaml:1: apiVersion: \"gatehouse.dev/v2\" (expected: gatehouse.dev/v1)"),
                Arguments.of("apiVersion: gatehouse.dev/v1\nkind: ClusterRole\ndefault: allow\n",
                        "policy.yaml:2: kind: \"ClusterRole\" (expected: Policy)"),
                Arguments.of("apiVersion: gatehouse.dev/v1\nkind: Policy\n", "policy.yaml: default: missing"),
                Arguments.of("apiVersion: gatehouse.dev/v1\nkind: Policy\ndefault: maybe\n",
                        "policy.yaml:3: default: \"maybe\" (expected: allow, deny or review)"),
                Arguments.of("apiVersion: gatehouse.dev/v1\nkind: Policy\ndefault: review\n",
                        "policy.yaml:3: default: review without defaultReviewers"),
                Arguments.of("apiVersion: gatehouse.dev/v1\nkind: Policy\ndefault: allow\ndefaults: deny\n",
                        "policy.yaml:4: defaults: unknown field"),
                Arguments.of("apiVersion: gatehouse.dev/v1\nkind: Policy\ndefault: allow\ndefault: deny\n",
                        "policy.yaml:4: "),
                Arguments.of("apiVersion: gatehouse.dev/v1\nkind: Policy\ndefault: allow\nrules: {a: 1}\n",
                        "policy.yaml:4: rules: a mapping (expected: a list)"),
                Arguments.of("apiVersion: gatehouse.dev/v1\nkind: Policy\ndefault: allow\nrules:\n  - deny-all\n",
                        "policy.yaml:5: rules: an item that is \"deny-all\" (expected: a rule"),
                Arguments.of("apiVersion: gatehouse.dev/v1\nkind: Policy\ndefault: allow\nrules:\n  - name: r\n"
                        + "    match: [verbs]\n    decision: deny\n", "policy.yaml:6: rule \"r\": match: a list "
                        + "(expected: a mapping)"),
                Arguments.of("", "policy.yaml: empty file"),
                Arguments.of("- a\n- b\n", "policy.yaml:1: document: a list (expected: a mapping)"),
                Arguments.of("a: [\n", "policy.yaml:2: not valid YAML"),
                Arguments.of("a: 1\n---\nb: 2\n", "not valid YAML"),
                Arguments.of("apiVersion: !!binary aGVsbG8=\n", "policy.yaml:1: tag tag:yaml.org,2002:binary"),
                Arguments.of("apiVersion: !custom x\n", "policy.yaml:1: tag !custom"),
                Arguments.of("apiVersion: gatehouse.dev/v1\nkind: Policy\ndefault: allow\nrules:\n  - &r {name: a, "
                        + "decision: deny}\n", "policy.yaml:5: anchor &r (expected: no anchors or aliases"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badDocuments")
    void refusesABadDocument(String yaml, String message) {
        assertThatThrownBy(() -> Policies.parse(yaml)).isInstanceOf(PolicyException.class)
                .hasMessageContaining(message);
    }

    @Test
    void refusesABillionLaughsWithoutExpandingIt() {
        StringBuilder b = new StringBuilder("apiVersion: gatehouse.dev/v1\nkind: Policy\ndefault: allow\n");
        b.append("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            b.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                b.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            b.append("]\n");
        }
        long start = System.nanoTime();
        assertThatThrownBy(() -> Policies.parse(b.toString())).isInstanceOf(PolicyException.class)
                .hasMessageContaining("policy.yaml:");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void refusesAFileOverOneMebibyte() {
        byte[] huge = ("apiVersion: gatehouse.dev/v1\nkind: Policy\ndefault: allow\n# " + "x".repeat(1024 * 1024))
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PolicyLoader.parse("big.yaml", huge)).isInstanceOf(PolicyException.class)
                .hasMessage("big.yaml: larger than 1048576 bytes (expected: a policy file of at most 1024 KiB)");
    }

    @Test
    void refusesDeepNestingAndNonUtf8() {
        String deep = "a: " + "[".repeat(200) + "]".repeat(200) + "\n";
        assertThatThrownBy(() -> Policies.parse(deep)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("policy.yaml");
        assertThatThrownBy(() -> PolicyLoader.parse("bin.yaml", new byte[] {(byte) 0xff, (byte) 0xfe, 'a'}))
                .isInstanceOf(PolicyException.class).hasMessage("bin.yaml: not UTF-8 text");
    }

    @Test
    void readsADirectoryInFileNameOrderWithReviewerSetsFromAnotherFile() throws Exception {
        Files.writeString(tmp.resolve("00-base.yaml"), """
                apiVersion: gatehouse.dev/v1
                kind: Policy
                default: deny
                reviewers:
                  sre: {groups: [sre]}
                rules:
                  - name: reads
                    match: {verbs: [get, list, watch]}
                    decision: allow
                """);
        Files.writeString(tmp.resolve("10-holds.yml"), """
                apiVersion: gatehouse.dev/v1
                kind: Policy
                rules:
                  - name: hold-delete
                    match: {verbs: [delete]}
                    decision: review
                    reviewers: sre
                """);
        Files.writeString(tmp.resolve(".hidden.yaml"), "not: a policy");
        Files.writeString(tmp.resolve("README.md"), "not: a policy");
        RulePolicy policy = PolicyLoader.load(tmp);
        assertThat(policy.summary().rules()).isEqualTo(2);
        assertThat(policy.summary().defaultDecision()).isEqualTo("deny");
        assertThat(policy.rules()).extracting(d -> d.rule().toString())
                .containsExactly("reads (00-base.yaml:7)", "hold-delete (10-holds.yml:4)");
        assertThat(policy.summary().sha256()).hasSize(64);
    }

    @Test
    void refusesTwoFilesThatBothSetTheDefault() throws Exception {
        Files.writeString(tmp.resolve("a.yaml"), "apiVersion: gatehouse.dev/v1\nkind: Policy\ndefault: allow\n");
        Files.writeString(tmp.resolve("b.yaml"), "apiVersion: gatehouse.dev/v1\nkind: Policy\ndefault: deny\n");
        assertThatThrownBy(() -> PolicyLoader.load(tmp)).isInstanceOf(PolicyException.class)
                .hasMessage("b.yaml:3: default: set again (expected: one file sets the default; a.yaml:3 already "
                        + "does)");
    }

    @Test
    void refusesAMissingPathAndAnEmptyDirectory() {
        assertThatThrownBy(() -> PolicyLoader.load(tmp.resolve("nope.yaml"))).isInstanceOf(PolicyException.class)
                .hasMessageEndingWith("nope.yaml: no such file or directory");
        assertThatThrownBy(() -> PolicyLoader.load(tmp)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("no *.yaml or *.yml files");
    }

    @Test
    void theShippedPoliciesLoad() {
        RulePolicy def = PolicyLoader.builtIn("default");
        assertThat(def.summary().defaultDecision()).isEqualTo("allow");
        assertThat(def.summary().source()).isEqualTo("classpath:policy/default.yaml");
        assertThat(def.summary().rules()).isGreaterThanOrEqualTo(8);
        RulePolicy demo = PolicyLoader.builtIn("demo");
        assertThat(demo.summary().rules()).isGreaterThanOrEqualTo(4);
        assertThatThrownBy(() -> PolicyLoader.builtIn("../etc/passwd")).isInstanceOf(PolicyException.class);
        assertThatThrownBy(() -> PolicyLoader.builtIn("nope")).isInstanceOf(PolicyException.class)
                .hasMessage("classpath:policy/nope.yaml: no such resource");
    }

    @Test
    void readsDurationsAndReviewerSetsIntoTheRequirement() {
        RulePolicy policy = Policies.parse("""
                apiVersion: gatehouse.dev/v1
                kind: Policy
                default: review
                defaultReviewers:
                  groups: [sre]
                  users: [bob]
                  approvals: 2
                  reasonRequired: true
                  breakGlassGroups: [oncall]
                  holdTime: 90s
                  validity: 10m
                  pendingExpiry: 1h30m
                """);
        Decision.Review review = (Decision.Review) policy.fallback();
        ReviewRequirement r = review.requirement();
        assertThat(r.approverGroups()).containsExactly("sre");
        assertThat(r.approverUsers()).containsExactly("bob");
        assertThat(r.approvals()).isEqualTo(2);
        assertThat(r.reasonRequired()).isTrue();
        assertThat(r.breakGlassGroups()).containsExactly("oncall");
        assertThat(r.holdTime()).isEqualTo(Duration.ofSeconds(90));
        assertThat(r.validity()).isEqualTo(Duration.ofMinutes(10));
        assertThat(r.pendingExpiry()).isEqualTo(Duration.ofMinutes(90));
        ReviewRequirement once = ((Decision.Review) Policies.withRules("""
                  - name: r
                    decision: review
                    reviewers: sre
                """).rules().get(0)).requirement();
        assertThat(once.validity()).isZero();
        assertThat(once.holdTime()).isNull();
    }
}
