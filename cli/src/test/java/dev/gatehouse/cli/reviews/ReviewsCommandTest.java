package dev.gatehouse.cli.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.review.Review;
import dev.gatehouse.review.ReviewState;

/** {@code gatehouse reviews} against the reviews API: tables, details, one line per action, one line per failure. */
class ReviewsCommandTest {
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

    @Test
    void listPrintsPendingReviewsAsATable() {
        Review review = cli.held("alice", 1, "cleanup");
        ReviewsCli.Run run = cli.as("bob", "reviews", "list");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().lines().findFirst().orElseThrow()).matches(
                "ID +STATE +REQUESTER +REQUEST +RULE +APPROVALS +AGE");
        assertThat(run.out().lines().filter(l -> l.startsWith(review.id())).findFirst().orElseThrow())
                .contains("pending", "alice", "delete namespaces team-alice on prod", "prod-deletes", "0/1")
                .endsWith("s");
    }

    @Test
    void listAsJsonIsTheReviewList() throws Exception {
        Review review = cli.held("alice", 1, "");
        ReviewsCli.Run run = cli.as("carol", "reviews", "list", "--state", "all", "-o", "json");
        JsonNode list = new ObjectMapper().readTree(run.out());
        assertThat(list.path("kind").asText()).isEqualTo("ReviewList");
        assertThat(list.path("items").findValuesAsText("id")).contains(review.id());
    }

    @Test
    void approvingTheOnlyApprovalNeededReleasesTheRequest() {
        Review review = cli.held("alice", 1, "");
        ReviewsCli.Run run = cli.as("bob", "reviews", "approve", review.id(), "--reason", "planned");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("review " + review.id() + " approved by bob (1/1): released"
                + System.lineSeparator());
    }

    @Test
    void approvingOneOfTwoSaysHowManyMoreAreNeeded() {
        Review review = cli.held("alice", 2, "");
        assertThat(cli.as("bob", "reviews", "approve", review.id()).out()).isEqualTo("review " + review.id()
                + " approved by bob (1/2): 1 more approval needed" + System.lineSeparator());
        assertThat(cli.as("dave", "reviews", "approve", review.id()).out())
                .contains("approved by dave (2/2): released");
    }

    @Test
    void showPrintsTheRequestTheApproversAndTheVerdicts() {
        Review review = cli.held("alice", 2, "cleanup of the old team");
        cli.as("bob", "reviews", "approve", review.id(), "--reason", "looks right");
        ReviewsCli.Run run = cli.as("alice", "reviews", "show", review.id());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("Review:      " + review.id(), "pending (1/2 approvals)",
                "Requester:   alice [developers] via static-token", "delete namespaces team-alice on prod",
                "Rule:        prod-deletes", "Reason:      cleanup of the old team", "groups [sre]", "2 needed",
                "You:         may not approve", "bob", "approved", "\"looks right\"");
    }

    @Test
    void denyAndCancelSayWhatTheyDid() {
        Review denied = cli.held("alice", 1, "");
        assertThat(cli.as("bob", "reviews", "deny", denied.id(), "--reason", "not now").out())
                .isEqualTo("review " + denied.id() + " denied by bob" + System.lineSeparator());
        Review cancelled = cli.held("erin", 1, "");
        assertThat(cli.as("erin", "reviews", "cancel", cancelled.id()).out())
                .isEqualTo("review " + cancelled.id() + " cancelled" + System.lineSeparator());
        assertThat(cli.reviews().review(cancelled.id()).await().orElseThrow().state())
                .isEqualTo(ReviewState.CANCELLED);
    }

    @Test
    void approvingYourOwnRequestIsOneLineOnStderrAndExitTwo() {
        Review bobs = cli.held("bob", 1, "");
        ReviewsCli.Run run = cli.as("bob", "reviews", "approve", bobs.id());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("gatehouse reviews approve: ").contains("answered 403", "bob", "own");
    }

    @Test
    void aReviewYouMayNotSeeIsNotFound() {
        Review alices = cli.held("alice", 1, "");
        ReviewsCli.Run run = cli.as("mallory", "reviews", "show", alices.id());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("answered 404").contains("not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../audit/events", "r-abc/../../audit/keys", "r-abc?x=1", "%2e%2e", ""})
    void aMalformedIdIsRefusedBeforeAnythingIsAsked(String id) {
        ReviewsCli.Run run = cli.as("carol", "reviews", "show", id);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("malformed");
    }

    @Test
    void aForgedTokenIsRefusedInOneLine() {
        ReviewsCli.Run run = cli.as("forged", "reviews", "list");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("answered 401");
        assertThat(run.err()).doesNotContain("forged-token");
    }

    @Test
    void withoutServerItSaysWhatToGive() {
        ReviewsCli.Run run = ReviewsCli.run("reviews", "list");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("--server");
    }

    @Test
    void anUnknownStateIsOneLineNamingTheChoices() {
        ReviewsCli.Run run = cli.as("bob", "reviews", "list", "--state", "bogus");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("pending, approved");
    }

    @Test
    void controlCharactersFromARequesterNeverReachTheTerminal() {
        Review review = cli.held("alice", 1, "fine\u001b]0;pwned\u0007\u001b[2J\r\nreview approved");
        ReviewsCli.Run show = cli.as("bob", "reviews", "show", review.id());
        assertThat(show.out()).doesNotContain("\u001b").doesNotContain("\u0007").contains("fine?]0;pwned?");
        ReviewsCli.Run json = cli.as("bob", "reviews", "list", "-o", "json");
        assertThat(json.out()).doesNotContain("\u001b");
    }
}
