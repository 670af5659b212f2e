package dev.gatehouse.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import dev.gatehouse.cli.Main;

class PolicyCommandTest {
    static final String POLICY = """
            apiVersion: gatehouse.dev/v1
            kind: Policy
            default: allow
            reviewers:
              sre: {groups: [sre], users: [bob], approvals: 2, holdTime: 60s, pendingExpiry: 1h}
            rules:
              - name: auditors-read-only
                match: {groups: [auditors], verbs: [create, update, patch, delete]}
                decision: deny
                message: auditors are read-only
              - name: hold-namespace-delete
                match: {verbs: [delete], resources: [namespaces]}
                decision: review
                reviewers: sre
              - name: big-deployments
                match: {verbs: [create, update, patch], apiGroups: [apps], resources: [deployments]}
                when: object != null && object.spec.replicas > 10
                decision: review
                reviewers: sre
            """;

    @TempDir
    Path tmp;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    Path policy() throws Exception {
        return Files.writeString(tmp.resolve("policy.yaml"), POLICY);
    }

    @Test
    void validatePrintsTheSummaryAndExitsZero() throws Exception {
        Path p = policy();
        assertThat(run("policy", "validate", "--policy", p.toString())).isZero();
        assertThat(out.toString()).startsWith("policy " + p + ": 3 rules, default allow, sha256 ")
                .matches("(?s).*sha256 [0-9a-f]{64}\\s*");
    }

    @Test
    void validatePrintsTheFirstErrorOnOneLineAndExitsOne() throws Exception {
        Path p = Files.writeString(tmp.resolve("policy.yaml"), POLICY.replace("object.spec", "objet.spec"));
        assertThat(run("policy", "validate", "--policy", p.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("gatehouse policy validate: policy.yaml:17: rule \"big-deployments\": "
                + "when: undeclared reference to 'objet' (expected: a CEL expression over identity, request, object)"
                + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void validateReadsTheBuiltInPolicies() {
        assertThat(run("policy", "validate", "--policy", "builtin:default")).isZero();
        assertThat(out.toString()).startsWith("policy classpath:policy/default.yaml: ");
        assertThat(run("policy", "validate", "--policy", "builtin:demo")).isZero();
    }

    @Test
    void testShowsAHeldRequestWithWhoMayApprove() throws Exception {
        assertThat(run("policy", "test", "--policy", policy().toString(), "--user", "alice", "--group", "developers",
                "--verb", "delete", "--resource", "namespaces", "--namespace", "team-a", "--name", "team-a"))
                .isZero();
        assertThat(out.toString()).contains("decision: review")
                .contains("rule:     hold-namespace-delete (policy.yaml:11)")
                .contains("approval: 2 approvals from groups [sre] or users [bob]; held 1m; approval valid once; "
                        + "expires after 1h");
    }

    @Test
    void testClassifiesAnHttpRequestLineLikeTheGateway() throws Exception {
        assertThat(run("policy", "test", "--policy", policy().toString(), "--user", "carol", "--group", "auditors",
                "--request", "DELETE /api/v1/namespaces/team-a/pods/web-0")).isZero();
        assertThat(out.toString()).contains("decision: deny").contains("rule:     auditors-read-only (policy.yaml:7)")
                .contains("message:  auditors are read-only");
        out.getBuffer().setLength(0);
        assertThat(run("policy", "test", "--policy", policy().toString(), "--user", "alice",
                "--request", "GET /api/v1/namespaces/team-a/pods?watch=true")).isZero();
        assertThat(out.toString()).contains("decision: allow")
                .contains("rule:     (default) (no rule matched: the policy's default)");
    }

    @Test
    void testReadsTheObjectForConditions() throws Exception {
        Path object = Files.writeString(tmp.resolve("d.json"), "{\"spec\": {\"replicas\": 50}}");
        String[] base = {"policy", "test", "--policy", policy().toString(), "--user", "alice", "--verb", "create",
                "--api-group", "apps", "--resource", "deployments", "-n", "prod"};
        assertThat(run(base)).isZero();
        assertThat(out.toString()).contains("decision: allow")
                .contains("note:     rule big-deployments (policy.yaml:15) reads the object; without --object it saw "
                        + "null");
        out.getBuffer().setLength(0);
        String[] withObject = java.util.Arrays.copyOf(base, base.length + 2);
        withObject[base.length] = "--object";
        withObject[base.length + 1] = object.toString();
        assertThat(run(withObject)).isZero();
        assertThat(out.toString()).contains("decision: review").contains("big-deployments");
    }

    @Test
    void badInputIsOneLineAndExitOne() throws Exception {
        String p = policy().toString();
        assertThat(run("policy", "test", "--policy", p, "--user", "alice", "--request", "DELETE /api/v1/%2e%2e"))
                .isEqualTo(1);
        assertThat(err.toString()).startsWith("gatehouse policy test: percent-encoded characters in the request "
                + "path are not accepted");
        err.getBuffer().setLength(0);
        assertThat(run("policy", "test", "--policy", p, "--user", "alice", "--verb", "get")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("gatehouse policy test: --verb get without --resource or --path"
                + System.lineSeparator());
        err.getBuffer().setLength(0);
        assertThat(run("policy", "test", "--policy", p, "--user", "alice", "--method", "password", "--verb", "get",
                "--path", "/version")).isEqualTo(1);
        assertThat(err.toString()).contains("--method password (expected: oidc, service-account");
        err.getBuffer().setLength(0);
        assertThat(run("policy", "validate", "--policy", tmp.resolve("missing.yaml").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("missing.yaml: no such file or directory");
    }
}
