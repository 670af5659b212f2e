package dev.gatehouse.review.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.review.ReviewState;

class SlackMessageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode render(ReviewNotice n) throws Exception {
        return JSON.readTree(SlackMessage.render(n));
    }

    /** Every text object in the message, with its type. */
    static List<JsonNode> texts(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isObject() && node.has("type") && node.path("text").isTextual()) {
            out.add(node);
        }
        node.elements().forEachRemaining(child -> out.addAll(texts(child)));
        return out;
    }

    static String all(JsonNode message) {
        return message.toString();
    }

    @Test
    void createdNamesWhoWhatRuleApprovalsApproversAndTheApproveCommand() throws Exception {
        JsonNode m = render(Notices.created("cleanup after test"));

        assertThat(m.path("text").asText()).contains("Review requested r-abcdefghijklmnopqrstuvwxyz", "alice",
                "delete namespaces x on prod", "approvals 0/2",
                "approve: gatehouse reviews approve r-abcdefghijklmnopqrstuvwxyz");
        assertThat(m.path("blocks").get(0).path("type").asText()).isEqualTo("header");
        List<String> texts = texts(m.path("blocks")).stream().map(t -> t.path("text").asText()).toList();
        assertThat(texts).anyMatch(t -> t.contains("*Requester*") && t.contains("`alice`"))
                .anyMatch(t -> t.contains("*What*") && t.contains("`delete namespaces x on prod`"))
                .anyMatch(t -> t.contains("*Rule*") && t.contains("`prod-deletes`"))
                .anyMatch(t -> t.contains("*Approvals*") && t.contains("0/2"))
                .anyMatch(t -> t.contains("*Who may approve*") && t.contains("group sre or user carol"))
                .anyMatch(t -> t.equals("Reason: cleanup after test"))
                .anyMatch(t -> t.contains("`gatehouse reviews approve r-abcdefghijklmnopqrstuvwxyz`")
                        && t.contains("`gatehouse reviews deny r-abcdefghijklmnopqrstuvwxyz`"));
        assertThat(all(m)).doesNotContain("BREAK-GLASS");
    }

    @Test
    void neverCarriesTheBodyDigestFingerprintOrQuery() throws Exception {
        String m = all(render(Notices.created("x")));

        assertThat(m).doesNotContain(Notices.BODY_SHA, Notices.FINGERPRINT, "secretish", "dryRun");
    }

    @Test
    void breakGlassSelfApprovalIsFlaggedLoudly() throws Exception {
        JsonNode m = render(Notices.approvedBy(Notices.ALICE, true, ReviewState.APPROVED));

        assertThat(m.path("text").asText()).startsWith(":rotating_light: BREAK-GLASS");
        assertThat(texts(m.path("blocks"))).anyMatch(t -> t.path("text").asText()
                .startsWith(":rotating_light: BREAK-GLASS") && t.path("text").asText().contains("`alice`"));
    }

    @Test
    void decidedReviewShowsTheVerdictAndNoApproveCommand() throws Exception {
        JsonNode m = render(Notices.approvedBy(Notices.BOB, false, ReviewState.APPROVED));

        assertThat(all(m)).contains("Review approved", "approved by bob: looks fine", "1/2")
                .doesNotContain("gatehouse reviews approve");
    }

    @Test
    void partialApprovalStillShowsTheApproveCommand() throws Exception {
        JsonNode m = render(Notices.approvedBy(Notices.BOB, false, ReviewState.PENDING));

        assertThat(all(m)).contains("Review approval added", "1/2", "gatehouse reviews approve r-");
    }

    @Test
    void grantRequestShowsScopeAndGrantsCommand() throws Exception {
        JsonNode m = render(Notices.grantRequested());

        assertThat(all(m)).contains("Grant requested", "delete, get pods in web on prod for PT2H",
                "gatehouse grants approve g-abcdefghijklmnopqrstuvwxyz", "Reason: incident 42");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<!channel> urgent", "<!here|here>", "<@U0123ABC> approve pls",
            "<https://evil.example|click to approve>", "a & b > c", "<#C024BE7LR>"})
    void reasonCannotMentionLinkOrNotify(String reason) throws Exception {
        JsonNode m = render(Notices.created(reason));

        for (JsonNode t : texts(m)) {
            assertThat(t.path("text").asText()).doesNotContain("<!", "<@", "<#", "<http").doesNotContainPattern(
                    "&(?!amp;|lt;|gt;)");
        }
        assertThat(texts(m)).anyMatch(t -> t.path("type").asText().equals("plain_text")
                && t.path("text").asText().contains(SlackMessage.escape(reason)));
    }

    @Test
    void reasonWithMrkdwnGoesOnlyIntoPlainText() throws Exception {
        JsonNode m = render(Notices.created("*APPROVED* by _security_ ~not~ `rm -rf`"));

        assertThat(texts(m)).filteredOn(t -> t.path("text").asText().contains("*APPROVED*"))
                .isNotEmpty().allMatch(t -> t.path("type").asText().equals("plain_text"));
    }

    @Test
    void controlAndBidiCharactersAreReplaced() throws Exception {
        JsonNode m = render(Notices.created("ok\u0007\u001b[31mred\u202Eevil\u2028line\nnext\u0000"));

        String reason = texts(m).stream().map(t -> t.path("text").asText()).filter(t -> t.startsWith("Reason:"))
                .findFirst().orElseThrow();
        assertThat(reason).isEqualTo("Reason: ok\uFFFD\uFFFD[31mred\uFFFDevil\uFFFDline next\uFFFD");
        assertThat(all(m)).doesNotContain("\\u0007", "\\u001b", "\\u0000");
    }

    @Test
    void hostileUserNameStaysInsideInlineCode() throws Exception {
        var mallory = new dev.gatehouse.review.Requester("mallory` <!channel> *x*", List.of(), "", "", List.of());
        var review = Notices.review(ReviewState.PENDING, "", List.of());
        var hostile = new dev.gatehouse.review.Review(review.id(), review.state(), mallory, review.request(),
                review.rule(), "", review.requirement(), List.of(), review.created(), review.expires(), null, 1);
        JsonNode m = render(ReviewNotice.of(ReviewNotice.Kind.CREATED, hostile, mallory, "", false, Notices.T0, ""));

        assertThat(texts(m)).anyMatch(t -> t.path("text").asText()
                .contains("`mallory' &lt;!channel&gt; *x*`"));
        assertThat(all(m)).doesNotContain("<!channel>");
    }

    @Test
    void longReasonIsClipped() throws Exception {
        JsonNode m = render(Notices.created("x".repeat(10_000)));

        assertThat(texts(m)).allMatch(t -> t.path("text").asText().length() <= 3000);
        assertThat(all(m)).contains("x…");
    }
}
