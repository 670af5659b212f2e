package dev.gatehouse.cli.grants;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.api.ReviewApiServer;
import dev.gatehouse.cli.reviews.ReviewsCli;
import dev.gatehouse.review.Grant;

/** {@code gatehouse grants}: the same verbs as reviews, plus revoke. */
class GrantsCommandTest {
    @TempDir
    static Path dir;
    static ReviewsCli cli;

    @BeforeAll
    static void start() throws Exception {
        cli = ReviewsCli.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        cli.close();
    }

    static Grant asked(String user) {
        return cli.reviews().requestGrant(ReviewApiServer.requester(user), new Grant.Scope("prod", List.of("web"),
                List.of("get", "list"), List.of("pods", "pods/log")), Duration.ofHours(2), "incident 42").await();
    }

    @Test
    void listPrintsPendingGrantsAsATable() {
        Grant grant = asked("alice");
        ReviewsCli.Run run = cli.as("bob", "grants", "list");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().lines().findFirst().orElseThrow())
                .matches("ID +STATE +REQUESTER +SCOPE +DURATION +APPROVALS +AGE");
        assertThat(run.out()).contains(grant.id()).contains("get,list pods,pods/log -n web on prod").contains("2h");
        assertThat(cli.as("erin", "grants", "list").out()).doesNotContain(grant.id());
    }

    @Test
    void approveThenRevoke() {
        Grant grant = asked("alice");
        ReviewsCli.Run approved = cli.as("bob", "grants", "approve", grant.id(), "--reason", "ok");
        assertThat(approved.exit()).as(approved.err()).isZero();
        assertThat(approved.out()).startsWith("grant " + grant.id() + " approved by bob (1/1): valid until ");
        ReviewsCli.Run shown = cli.as("alice", "grants", "show", grant.id());
        assertThat(shown.out()).contains("Grant:       " + grant.id(), "approved (1/1 approvals)",
                "Scope:       get,list pods,pods/log -n web on prod", "Duration:    2h", "Valid until: ");
        assertThat(cli.as("alice", "grants", "revoke", grant.id()).out())
                .isEqualTo("grant " + grant.id() + " revoked by alice" + System.lineSeparator());
    }

    @Test
    void denyAndCancel() {
        Grant denied = asked("alice");
        assertThat(cli.as("dave", "grants", "deny", denied.id()).out()).startsWith("grant " + denied.id()
                + " denied by dave");
        Grant cancelled = asked("erin");
        assertThat(cli.as("bob", "grants", "cancel", cancelled.id()).exit()).isEqualTo(2);
        assertThat(cli.as("erin", "grants", "cancel", cancelled.id()).out()).isEqualTo("grant " + cancelled.id()
                + " cancelled" + System.lineSeparator());
    }

    @Test
    void revokingAPendingGrantIsAConflictInOneLine() {
        Grant grant = asked("alice");
        ReviewsCli.Run run = cli.as("bob", "grants", "revoke", grant.id());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().startsWith("gatehouse grants revoke: ")
                .contains("answered 409");
    }

    @Test
    void aReviewIdIsNotAGrant() {
        ReviewsCli.Run run = cli.as("bob", "grants", "show", "r-" + "a".repeat(26));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("answered 404");
    }
}
