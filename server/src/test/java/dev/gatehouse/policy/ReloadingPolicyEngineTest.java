package dev.gatehouse.policy;

import static dev.gatehouse.policy.Policies.ask;
import static dev.gatehouse.policy.Policies.request;
import static dev.gatehouse.policy.Policies.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingPolicyEngineTest {
    private static final String ALLOW = "apiVersion: gatehouse.dev/v1\nkind: Policy\ndefault: allow\n";
    private static final String DENY_DELETES = ALLOW + """
            rules:
              - name: no-deletes
                match: {verbs: [delete]}
                decision: deny
            """;

    @TempDir
    Path tmp;

    /** Records what the engine reports. */
    static final class Recorded implements PolicyReloadListener {
        final List<PolicySummary> reloaded = new CopyOnWriteArrayList<>();
        final List<String> rejected = new CopyOnWriteArrayList<>();
        final List<PolicySummary> kept = new CopyOnWriteArrayList<>();

        @Override
        public void reloaded(PolicySummary policy) {
            reloaded.add(policy);
        }

        @Override
        public void rejected(PolicyException error, PolicySummary keptPolicy) {
            rejected.add(error.getMessage());
            kept.add(keptPolicy);
        }
    }

    private String decideDelete(ReloadingPolicyEngine engine) {
        return engine.decide(ask(user("alice"), request("delete", "", "pods", "dev", "p"))).word();
    }

    @Test
    void aGoodEditIsPutInForceAndReported() throws Exception {
        Path file = Files.writeString(tmp.resolve("policy.yaml"), ALLOW);
        Recorded listener = new Recorded();
        try (ReloadingPolicyEngine engine = ReloadingPolicyEngine.start(file, Duration.ofMillis(50), listener)) {
            assertThat(decideDelete(engine)).isEqualTo("allow");
            Files.writeString(file, DENY_DELETES);
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.reloaded.size() == 1);
            assertThat(decideDelete(engine)).isEqualTo("deny");
            PolicySummary summary = listener.reloaded.get(0);
            assertThat(summary.rules()).isEqualTo(1);
            assertThat(summary.defaultDecision()).isEqualTo("allow");
            assertThat(summary.source()).isEqualTo(file.toString());
            assertThat(summary.sha256()).isEqualTo(engine.current().summary().sha256());
        }
    }

    @Test
    void aBadEditKeepsThePolicyInForceAndIsReportedOnce() throws Exception {
        Path file = Files.writeString(tmp.resolve("policy.yaml"), DENY_DELETES);
        Recorded listener = new Recorded();
        try (ReloadingPolicyEngine engine = ReloadingPolicyEngine.start(file, Duration.ofMillis(50), listener)) {
            String digest = engine.current().summary().sha256();
            Files.writeString(file, DENY_DELETES.replace("decision: deny", "decision: dney"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !listener.rejected.isEmpty());
            Thread.sleep(300); // several more polls of the same bad content
            assertThat(listener.rejected).hasSize(1);
            assertThat(listener.rejected.get(0)).isEqualTo("policy.yaml:7: rule \"no-deletes\": decision: \"dney\" "
                    + "(expected: allow, deny or review)");
            assertThat(listener.kept.get(0).sha256()).isEqualTo(digest);
            assertThat(decideDelete(engine)).isEqualTo("deny");

            Files.delete(file);
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.rejected.size() == 2);
            assertThat(listener.rejected.get(1)).endsWith("no such file or directory");
            assertThat(decideDelete(engine)).isEqualTo("deny");

            Files.writeString(file, ALLOW);
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.reloaded.size() == 1);
            assertThat(decideDelete(engine)).isEqualTo("allow");
            assertThat(listener.reloaded).hasSize(1);
        }
    }

    @Test
    void anEditThatKeepsTheSizeAndTimeIsStillSeenByItsDigest() throws Exception {
        Path file = Files.writeString(tmp.resolve("policy.yaml"), DENY_DELETES);
        try (ReloadingPolicyEngine engine = ReloadingPolicyEngine.start(file, Duration.ZERO, null)) {
            var mtime = Files.getLastModifiedTime(file);
            Files.writeString(file, DENY_DELETES.replace("delete]", "detach]"));
            Files.setLastModifiedTime(file, mtime);
            assertThat(engine.poll()).isTrue();
            assertThat(decideDelete(engine)).isEqualTo("allow");
            assertThat(engine.poll()).isFalse();
        }
    }

    @Test
    void startingWithABadPolicyFails() throws Exception {
        Path file = Files.writeString(tmp.resolve("policy.yaml"), ALLOW + "rules: [{name: x}]\n");
        assertThatThrownBy(() -> ReloadingPolicyEngine.start(file, Duration.ofSeconds(1), null))
                .isInstanceOf(PolicyException.class).hasMessageContaining("policy.yaml:4: rule \"x\": decision: missing");
    }

    @Test
    void withoutAFileTheBuiltInDefaultDecides() {
        PolicyEngine engine = ReloadingPolicyEngine.of(PolicySettings.builtIn(), null);
        assertThat(engine).isInstanceOf(RulePolicy.class);
        assertThat(((RulePolicy) engine).summary().source()).isEqualTo("classpath:policy/default.yaml");
    }

    @Test
    void aDirectoryIsWatchedAsAWhole() throws Exception {
        Files.writeString(tmp.resolve("00.yaml"), ALLOW);
        Recorded listener = new Recorded();
        try (ReloadingPolicyEngine engine = ReloadingPolicyEngine.start(tmp, Duration.ofMillis(50), listener)) {
            Files.writeString(tmp.resolve("10.yaml"), """
                    apiVersion: gatehouse.dev/v1
                    kind: Policy
                    rules:
                      - name: no-deletes
                        match: {verbs: [delete]}
                        decision: deny
                    """);
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.reloaded.size() == 1);
            assertThat(decideDelete(engine)).isEqualTo("deny");
        }
    }
}
