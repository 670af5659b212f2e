package dev.gatehouse.review.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.review.ReviewState;

class NotificationJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode render(ReviewNotice n) throws Exception {
        return JSON.readTree(NotificationJson.render(n));
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void createdFollowsTheDocumentedSchema() throws Exception {
        JsonNode m = render(Notices.created("cleanup"));

        assertThat(fieldNames(m)).containsExactly("apiVersion", "kind", "event", "id", "time", "breakGlass", "actor",
                "reason", "gateway", "review", "commands", "summary");
        assertThat(m.path("apiVersion").asText()).isEqualTo("gatehouse.dev/v1");
        assertThat(m.path("kind").asText()).isEqualTo("ReviewNotification");
        assertThat(m.path("event").asText()).isEqualTo("created");
        assertThat(m.path("id").asText()).isEqualTo("r-abcdefghijklmnopqrstuvwxyz:created:1");
        assertThat(m.path("time").asText()).isEqualTo("2026-12-07T18:00:00Z");
        assertThat(m.path("actor").path("user").asText()).isEqualTo("alice");
        JsonNode review = m.path("review");
        assertThat(fieldNames(review)).containsExactly("id", "state", "requester", "request", "rule", "reason",
                "approvals", "approvers", "verdicts", "created", "expires");
        assertThat(review.path("id").asText()).isEqualTo("r-abcdefghijklmnopqrstuvwxyz");
        assertThat(review.path("state").asText()).isEqualTo("pending");
        assertThat(fieldNames(review.path("request"))).containsExactly("auditId", "cluster", "verb", "apiGroup",
                "resource", "subresource", "namespace", "name", "path", "description");
        assertThat(review.path("request").path("description").asText()).isEqualTo("delete namespaces x on prod");
        assertThat(review.path("request").path("path").asText()).isEqualTo("/api/v1/namespaces/x");
        assertThat(review.path("approvals").path("have").asInt()).isZero();
        assertThat(review.path("approvals").path("need").asInt()).isEqualTo(2);
        assertThat(review.path("approvers").path("groups").get(0).asText()).isEqualTo("sre");
        assertThat(review.path("approvers").path("users").get(0).asText()).isEqualTo("carol");
        assertThat(m.path("commands").path("approve").asText())
                .isEqualTo("gatehouse reviews approve r-abcdefghijklmnopqrstuvwxyz");
    }

    @Test
    void neverCarriesTheBodyDigestFingerprintOrQuery() throws Exception {
        String m = render(Notices.created("x")).toString();

        assertThat(m).doesNotContain(Notices.BODY_SHA, Notices.FINGERPRINT, "secretish", "bodyBytes", "fingerprint");
    }

    @Test
    void decidedReviewHasVerdictsAndNoCommands() throws Exception {
        JsonNode m = render(Notices.approvedBy(Notices.BOB, false, ReviewState.APPROVED));

        assertThat(m.path("event").asText()).isEqualTo("approved");
        assertThat(m.has("commands")).isFalse();
        JsonNode verdict = m.path("review").path("verdicts").get(0);
        assertThat(verdict.path("reviewer").asText()).isEqualTo("bob");
        assertThat(verdict.path("approve").asBoolean()).isTrue();
        assertThat(verdict.path("reason").asText()).isEqualTo("looks fine");
    }

    @Test
    void breakGlassIsATopLevelFlag() throws Exception {
        assertThat(render(Notices.approvedBy(Notices.ALICE, true, ReviewState.APPROVED)).path("breakGlass")
                .asBoolean()).isTrue();
        assertThat(render(Notices.created("x")).path("breakGlass").asBoolean()).isFalse();
    }

    @Test
    void grantNoticeCarriesTheGrantAndItsScope() throws Exception {
        JsonNode m = render(Notices.grantRequested());

        assertThat(m.path("event").asText()).isEqualTo("grant-requested");
        assertThat(m.has("review")).isFalse();
        JsonNode grant = m.path("grant");
        assertThat(grant.path("id").asText()).isEqualTo("g-abcdefghijklmnopqrstuvwxyz");
        assertThat(grant.path("scope").path("verbs").toString()).isEqualTo("[\"delete\",\"get\"]");
        assertThat(grant.path("duration").asText()).isEqualTo("PT2H");
        assertThat(m.path("commands").path("approve").asText())
                .isEqualTo("gatehouse grants approve g-abcdefghijklmnopqrstuvwxyz");
    }

    @Test
    void controlCharactersInReasonsAreReplaced() throws Exception {
        JsonNode m = render(Notices.created("a\u001b[2Jb\u202Ec\nd"));

        assertThat(m.path("review").path("reason").asText()).isEqualTo("a\uFFFD[2Jb\uFFFDc d");
    }
}
