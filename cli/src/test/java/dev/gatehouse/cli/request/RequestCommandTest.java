package dev.gatehouse.cli.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.api.ReviewApiServer;
import dev.gatehouse.cli.reviews.ReviewsCli;
import dev.gatehouse.review.Grant;
import dev.gatehouse.review.ReviewState;

/** {@code gatehouse request}: asks for a grant, says who approves and how, and waits for the decision if asked. */
class RequestCommandTest {
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

    /** The newest pending grant of {@code user}, waited for up to 10 s. */
    static Grant pendingOf(String user, Instant after) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            var found = cli.reviews().grants(ReviewState.PENDING, 100).await().stream()
                    .filter(g -> g.requester().user().equals(user) && !g.created().isBefore(after)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no pending grant of " + user);
    }

    /** Runs {@code request --wait} as alice, does {@code decide} to her grant meanwhile. */
    static ReviewsCli.Run waitedFor(Consumer<Grant> decide, String... extra) throws Exception {
        Instant before = Instant.now().minusMillis(1);
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("request", "--cluster", "prod",
                "-n", "web", "--verbs", "get", "--resources", "pods", "--for", "1h", "--wait", "--poll-interval",
                "1s"), java.util.Arrays.stream(extra)).toArray(String[]::new);
        CompletableFuture<ReviewsCli.Run> run = CompletableFuture.supplyAsync(() -> cli.as("alice", args));
        if (decide != null) {
            decide.accept(pendingOf("alice", before));
        }
        return run.get(30, TimeUnit.SECONDS);
    }

    @Test
    void requestsAGrantAndPrintsWhatAnApproverRuns() {
        ReviewsCli.Run run = cli.as("alice", "request", "--cluster", "prod", "--namespace", "web", "-n", "api,jobs",
                "--verbs", "get,list", "--resources", "pods,pods/log", "--for", "2h", "--reason", "incident 42");
        assertThat(run.exit()).as(run.err()).isZero();
        String id = run.out().lines().findFirst().orElseThrow().split(" ")[1];
        assertThat(run.out()).startsWith("grant " + id + " requested: get,list pods,pods/log -n web,api,jobs on prod "
                + "for 2h (pending, 0/1 approvals)").contains("An approver (groups [sre]) runs:")
                .contains("gatehouse grants approve " + id + " --server " + cli.server().url()
                        + " --certificate-authority " + cli.server().ca());
        Grant grant = cli.reviews().grant(id).await().orElseThrow();
        assertThat(grant.scope().namespaces()).containsExactly("web", "api", "jobs");
        assertThat(grant.duration()).isEqualTo(Duration.ofHours(2));
        assertThat(grant.reason()).isEqualTo("incident 42");
    }

    @Test
    void waitExitsZeroWhenApproved() throws Exception {
        ReviewsCli.Run run = waitedFor(g -> cli.reviews().approveGrant(g.id(), ReviewApiServer.requester("bob"), "ok")
                .await());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("Waiting up to 15m").contains("approved by bob (1/1): valid until");
    }

    @Test
    void waitExitsOneWhenDeniedOrExpired() throws Exception {
        ReviewsCli.Run denied = waitedFor(g -> cli.reviews().denyGrant(g.id(), ReviewApiServer.requester("dave"),
                "not during the freeze").await());
        assertThat(denied.exit()).isEqualTo(1);
        assertThat(denied.out()).contains("denied by dave: \"not during the freeze\"");
        ReviewsCli.Run expired = waitedFor(g -> cli.reviews().expire(g.id()));
        assertThat(expired.exit()).isEqualTo(1);
        assertThat(expired.out()).contains(" expired");
    }

    @Test
    void waitGivesUpAtTheTimeoutWithExitThree() throws Exception {
        ReviewsCli.Run run = waitedFor(null, "--timeout", "2s");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err().lines()).singleElement().asString().contains("still pending after 2s");
    }

    @Test
    void aBadDurationIsOneLineAndNothingIsRequested() {
        int before = cli.reviews().grants(null, 1000).await().size();
        ReviewsCli.Run run = cli.as("alice", "request", "--cluster", "prod", "--verbs", "get", "--resources", "pods",
                "--for", "forever");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("--for: \"forever\"");
        assertThat(cli.reviews().grants(null, 1000).await()).hasSize(before);
    }

    @Test
    void aRefusedRequestIsOneLine() {
        ReviewsCli.Run run = cli.as("alice", "request", "--cluster", "prod", "--verbs", "get", "--resources", "pods",
                "--for", "9h");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().startsWith("gatehouse request: ")
                .contains("answered 400");
    }

    @Test
    void missingRequiredOptionsAreAUsageError() {
        ReviewsCli.Run run = ReviewsCli.run("request", "--cluster", "prod");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().startsWith("gatehouse request: Missing required");
    }
}
