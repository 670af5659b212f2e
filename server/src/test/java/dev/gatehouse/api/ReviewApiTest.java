package dev.gatehouse.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.review.Review;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

/** The reviews API over real TLS and the in-memory service: who sees what, who decides, and hostile callers. */
class ReviewApiTest {
    static final String REVIEWS = "/gatehouse/v1/reviews";
    static final String GRANTS = "/gatehouse/v1/grants";

    @TempDir
    static Path dir;
    static ReviewApiServer server;
    static Vertx vertx;
    static HttpClientAgent h2;
    static HttpClientAgent h1;

    @BeforeAll
    static void start() throws Exception {
        server = ReviewApiServer.start(dir);
        vertx = Vertx.vertx();
        h2 = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true)
                .setProtocolVersion(HttpVersion.HTTP_2).setTrustOptions(new PemTrustOptions()
                        .addCertPath(server.ca().toString())));
        h1 = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustOptions(new PemTrustOptions()
                .addCertPath(server.ca().toString())));
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await();
        server.close();
    }

    record Answer(int code, String body, String auditId) {
        JsonNode json() {
            try {
                return AuditEventJson.mapper().readTree(body);
            } catch (Exception e) {
                throw new AssertionError(body, e);
            }
        }

        String message() {
            return json().path("message").asText();
        }
    }

    static Answer call(HttpClientAgent client, HttpMethod method, String uri, String user, String body) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(server.port())
                .setURI(uri);
        if (user != null) {
            options.putHeader("Authorization", "Bearer " + (user.endsWith("-token") ? user : user + "-token"));
        }
        return client.request(options).compose(req -> req.send(body == null ? Buffer.buffer() : Buffer.buffer(body))
                .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b.toString(),
                        resp.getHeader("Audit-ID"))))).await();
    }

    static Answer get(String uri, String user) {
        return call(h2, HttpMethod.GET, uri, user, null);
    }

    static Answer post(String uri, String user, String body) {
        return call(h2, HttpMethod.POST, uri, user, body);
    }

    /** A pending review of {@code user}'s delete, approved by sre, {@code n} approvals needed. */
    static Review held(String user, int n) {
        return server.reviews().open(ReviewApiServer.requester(user), FakeReviews.held("delete", "namespaces", "",
                "team-" + user + "-" + System.nanoTime()), "prod-deletes", "cleanup", FakeReviews.requirement(n, "sre"))
                .await();
    }

    static List<String> ids(Answer list) {
        List<String> ids = new ArrayList<>();
        list.json().path("items").forEach(i -> ids.add(i.path("id").asText()));
        return ids;
    }

    @Test
    void aCallerSeesWhatTheyAskedForWhatTheyMayApproveAndReadersSeeAll() {
        Review alices = held("alice", 1);
        Review erins = held("erin", 1);
        assertThat(ids(get(REVIEWS, "alice"))).contains(alices.id()).doesNotContain(erins.id());
        assertThat(ids(get(REVIEWS, "bob"))).contains(alices.id(), erins.id());
        assertThat(ids(get(REVIEWS, "carol"))).contains(alices.id(), erins.id());
        Answer nobody = get(REVIEWS, "mallory");
        assertThat(nobody.code()).isEqualTo(200);
        assertThat(nobody.json().path("kind").asText()).isEqualTo("ReviewList");
        assertThat(ids(nobody)).doesNotContain(alices.id(), erins.id());
    }

    @Test
    void showsAReviewWithItsDescriptionApprovalsAndWhetherTheCallerMayApprove() {
        Review review = held("alice", 2);
        JsonNode asBob = get(REVIEWS + "/" + review.id(), "bob").json();
        assertThat(asBob.path("apiVersion").asText()).isEqualTo("gatehouse.dev/v1");
        assertThat(asBob.path("kind").asText()).isEqualTo("Review");
        assertThat(asBob.path("state").asText()).isEqualTo("pending");
        assertThat(asBob.path("description").asText()).isEqualTo(review.request().describe());
        assertThat(asBob.path("approvals").asText()).isEqualTo("0/2");
        assertThat(asBob.path("mayApprove").asBoolean()).isTrue();
        assertThat(asBob.path("requester").path("user").asText()).isEqualTo("alice");
        assertThat(asBob.path("rule").asText()).isEqualTo("prod-deletes");
        assertThat(asBob.path("created").asText()).isEqualTo(review.created().toString());
        assertThat(asBob.path("requirement").path("pendingExpiry").asText()).isEqualTo("1h");
        assertThat(get(REVIEWS + "/" + review.id(), "alice").json().path("mayApprove").asBoolean()).isFalse();
    }

    @Test
    void oneApprovalOfOneApprovesAndNamesTheReviewer() {
        Review review = held("alice", 1);
        Answer a = post(REVIEWS + "/" + review.id() + "/approve", "bob", "{\"reason\":\"planned\"}");
        assertThat(a.code()).isEqualTo(200);
        assertThat(a.json().path("state").asText()).isEqualTo("approved");
        assertThat(a.json().path("approvals").asText()).isEqualTo("1/1");
        assertThat(a.json().path("verdicts").path(0).path("reviewer").asText()).isEqualTo("bob");
        assertThat(a.json().path("verdicts").path(0).path("reason").asText()).isEqualTo("planned");
        assertThat(a.json().path("validUntil").isTextual()).isTrue();
        Answer again = post(REVIEWS + "/" + review.id() + "/deny", "dave", "{}");
        assertThat(again.code()).isEqualTo(409);
        assertThat(again.json().path("reason").asText()).isEqualTo("Conflict");
    }

    @Test
    void twoOfTwoStaysPendingAfterTheFirstApprovalAndTheSameApproverCannotCountTwice() {
        Review review = held("alice", 2);
        Answer first = post(REVIEWS + "/" + review.id() + "/approve", "bob", "");
        assertThat(first.json().path("state").asText()).isEqualTo("pending");
        assertThat(first.json().path("approvals").asText()).isEqualTo("1/2");
        assertThat(post(REVIEWS + "/" + review.id() + "/approve", "bob", "").code()).isEqualTo(409);
        Answer second = post(REVIEWS + "/" + review.id() + "/approve", "dave", "");
        assertThat(second.json().path("state").asText()).isEqualTo("approved");
        assertThat(second.json().path("approvals").asText()).isEqualTo("2/2");
    }

    @Test
    void anApproverCannotApproveTheirOwnRequest() {
        Review bobs = held("bob", 1);
        Answer a = post(REVIEWS + "/" + bobs.id() + "/approve", "bob", "{\"reason\":\"trust me\"}");
        assertThat(a.code()).isEqualTo(403);
        assertThat(a.json().path("kind").asText()).isEqualTo("Status");
        assertThat(a.message()).contains("bob").contains("own");
        assertThat(server.reviews().review(bobs.id()).await().orElseThrow().state().wireName()).isEqualTo("pending");
    }

    @Test
    void onlyTheRequesterCancels() {
        Review review = held("alice", 1);
        assertThat(post(REVIEWS + "/" + review.id() + "/cancel", "bob", "").code()).isEqualTo(403);
        Answer a = post(REVIEWS + "/" + review.id() + "/cancel", "alice", "{\"reason\":\"not needed\"}");
        assertThat(a.code()).isEqualTo(200);
        assertThat(a.json().path("state").asText()).isEqualTo("cancelled");
    }

    @Test
    void aReviewTheCallerMayNotSeeIsNotFoundLikeOneThatDoesNotExist() {
        Review alices = held("alice", 1);
        String guessed = "r-" + "a".repeat(26);
        Answer hidden = get(REVIEWS + "/" + alices.id(), "erin");
        Answer missing = get(REVIEWS + "/" + guessed, "erin");
        assertThat(hidden.code()).isEqualTo(404);
        assertThat(missing.code()).isEqualTo(404);
        assertThat(hidden.message()).isEqualTo(missing.message().replace(guessed, alices.id()));
        Answer act = post(REVIEWS + "/" + alices.id() + "/approve", "mallory", "");
        assertThat(act.code()).isEqualTo(404);
        assertThat(server.reviews().review(alices.id()).await().orElseThrow().verdicts()).isEmpty();
    }

    @Test
    void filtersByStateAndCapsTheList() {
        Review pending = held("alice", 1);
        Review approved = held("alice", 1);
        post(REVIEWS + "/" + approved.id() + "/approve", "bob", "");
        assertThat(ids(get(REVIEWS + "?state=pending", "carol"))).contains(pending.id()).doesNotContain(approved.id());
        assertThat(ids(get(REVIEWS + "?state=approved", "carol"))).contains(approved.id())
                .doesNotContain(pending.id());
        assertThat(ids(get(REVIEWS + "?state=all&limit=1", "carol"))).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({
            "?state=bogus, 400, state",
            "?limit=0, 400, limit",
            "?limit=abc, 400, limit",
            "?user=alice, 400, query parameter",
            "?state=pending&state=approved, 400, at most once",
            "?state=%zz, 400, malformed"})
    void refusesABadQueryNamingTheParameter(String query, int code, String named) {
        Answer a = get(REVIEWS + query, "carol");
        assertThat(a.code()).isEqualTo(code);
        assertThat(a.message()).contains(named);
    }

    @Test
    void refusesCallersWithoutAValidTokenBeforeAnythingElse() {
        for (String uri : List.of(REVIEWS, REVIEWS + "/r-aaaa", REVIEWS + "/..%2F..", GRANTS + "/bogus/path/x")) {
            for (String token : new String[] {null, "forged-token", "expired-token"}) {
                Answer a = get(uri, token);
                assertThat(a.code()).as(uri + " " + token).isEqualTo(401);
                assertThat(a.json().path("reason").asText()).isEqualTo("Unauthorized");
                assertThat(a.body()).doesNotContain("forged-token");
            }
        }
        assertThat(get(REVIEWS, "expired-token").message()).contains("expired");
        assertThat(post(REVIEWS + "/r-aaaa/approve", null, "{}").code()).isEqualTo(401);
    }

    @ParameterizedTest
    @CsvSource({
            "/gatehouse/v1/reviews/..%2F..%2Faudit%2Fevents, 400",
            "/gatehouse/v1/reviews/%2e%2e, 400",
            "/gatehouse/v1/reviews/r-abc%2Fapprove, 400",
            "/gatehouse/v1/reviews/../../audit/events, 404",
            "/gatehouse/v1/reviews/r-abc/approve/now, 404",
            "/gatehouse/v1/reviews/r-abc/revoke, 404",
            "/gatehouse/v1/reviews/r-abc/frobnicate, 404",
            "/gatehouse/v1/reviews//approve, 404",
            "/gatehouse/v1/reviewsx, 404",
            "/gatehouse/v1/grants/g-abc/frobnicate, 404"})
    void pathTricksAreNotFoundOrBadRequest(String uri, int code) {
        assertThat(call(h1, HttpMethod.GET, uri, "carol", null).code()).as(uri).isEqualTo(code);
    }

    @Test
    void aVeryLongIdIsRefusedWithoutEchoingIt() {
        String id = "r-" + "a".repeat(2000);
        Answer a = get(REVIEWS + "/" + id, "carol");
        assertThat(a.code()).isEqualTo(400);
        assertThat(a.body().length()).isLessThan(600);
    }

    @Test
    void theWrongMethodIsMethodNotAllowed() {
        Review review = held("alice", 1);
        assertThat(post(REVIEWS, "carol", "{}").code()).isEqualTo(405);
        assertThat(post(REVIEWS + "/" + review.id(), "carol", "{}").code()).isEqualTo(405);
        assertThat(get(REVIEWS + "/" + review.id() + "/approve", "bob").code()).isEqualTo(405);
        assertThat(call(h2, HttpMethod.DELETE, GRANTS, "bob", null).code()).isEqualTo(405);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aBodyOverTheBoundIsTooLarge(boolean http2) {
        Review review = held("alice", 1);
        String big = "{\"reason\":\"" + "x".repeat(20 * 1024) + "\"}";
        Answer a = call(http2 ? h2 : h1, HttpMethod.POST, REVIEWS + "/" + review.id() + "/approve", "bob", big);
        assertThat(a.code()).isEqualTo(413);
        assertThat(server.reviews().review(review.id()).await().orElseThrow().verdicts()).isEmpty();
        assertThat(get(REVIEWS + "/" + review.id(), "bob").code()).isEqualTo(200); // the server still answers
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aChunkedBodyIsCutOffAtTheBoundToo(boolean http2) {
        Review review = held("alice", 1);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                .setPort(server.port()).setURI(REVIEWS + "/" + review.id() + "/approve")
                .putHeader("Authorization", "Bearer bob-token");
        int code = (http2 ? h2 : h1).request(options).compose(req -> {
            req.setChunked(true);
            for (int i = 0; i < 8; i++) {
                req.write("{\"reason\":\"" + "x".repeat(4096));
            }
            return req.end().compose(v -> req.response()).map(resp -> resp.statusCode());
        }).recover(e -> io.vertx.core.Future.succeededFuture(-1)).await();
        assertThat(code).isEqualTo(413);
        assertThat(server.reviews().review(review.id()).await().orElseThrow().verdicts()).isEmpty();
        assertThat(get(REVIEWS + "/" + review.id(), "bob").code()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aBodyThatNeverEndsIsCutOff(boolean http2) {
        Review review = held("alice", 1);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                .setPort(server.port()).setURI(REVIEWS + "/" + review.id() + "/approve")
                .putHeader("Authorization", "Bearer bob-token");
        String chunk = "x".repeat(64 * 1024);
        io.vertx.core.Promise<Integer> cut = io.vertx.core.Promise.promise();
        (http2 ? h2 : h1).request(options).onSuccess(req -> {
            req.setChunked(true).exceptionHandler(e -> cut.tryComplete(-1))
                    .connection().closeHandler(v -> cut.tryComplete(-1));
            req.response().onSuccess(resp -> resp.exceptionHandler(e -> cut.tryComplete(-1)));
            long timer = vertx.setPeriodic(1, id -> {
                if (cut.future().isComplete()) {
                    vertx.cancelTimer(id);
                } else if (!req.writeQueueFull()) {
                    req.write(chunk).onFailure(e -> cut.tryComplete(-1));
                }
            });
            vertx.setTimer(20_000, id -> { // 20 s without a cut fails the test
                vertx.cancelTimer(timer);
                cut.tryComplete(0);
            });
        }).onFailure(e -> cut.tryComplete(-1));
        assertThat(cut.future().await()).isEqualTo(-1);
        assertThat(server.reviews().review(review.id()).await().orElseThrow().verdicts()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"reason\":\"ok\",\"approver\":\"carol\"} | unknown field",
            "{\"reason\":42}                            | reason: a number",
            "{\"reason\":[\"ok\"]}                      | reason: a array",
            "[\"ok\"]                                   | expected: an object",
            "{\"reason\":\"ok\"                         | not valid JSON",
            "{\"reason\":\"a\",\"reason\":\"b\"}        | not valid JSON",
            "{\"reason\":\"ok\"} {}                     | not valid JSON",
            "null                                       | expected: an object"})
    void aBodyWithUnknownFieldsOrWrongTypesIsBadRequest(String body, String says) {
        Review review = held("alice", 1);
        Answer a = post(REVIEWS + "/" + review.id() + "/approve", "bob", body.strip());
        assertThat(a.code()).as(body).isEqualTo(400);
        assertThat(a.message()).contains(says);
        assertThat(server.reviews().review(review.id()).await().orElseThrow().verdicts()).isEmpty();
    }

    @Test
    void aGrantIsRequestedApprovedAndRevoked() {
        Answer asked = post(GRANTS, "alice", """
                {"cluster":"prod","namespaces":["web"],"verbs":["get","list"],"resources":["pods","pods/log"],
                 "duration":"2h","reason":"incident 42"}""");
        assertThat(asked.code()).isEqualTo(201);
        JsonNode grant = asked.json();
        assertThat(grant.path("kind").asText()).isEqualTo("Grant");
        assertThat(grant.path("state").asText()).isEqualTo("pending");
        assertThat(grant.path("duration").asText()).isEqualTo("2h");
        assertThat(grant.path("description").asText()).isEqualTo("get,list pods,pods/log -n web on prod");
        assertThat(grant.path("approvals").asText()).isEqualTo("0/1");
        String id = grant.path("id").asText();
        assertThat(id).startsWith("g-");
        assertThat(ids(get(GRANTS + "?state=pending", "bob"))).contains(id);
        assertThat(ids(get(GRANTS, "erin"))).doesNotContain(id);
        assertThat(get(GRANTS + "/" + id, "erin").code()).isEqualTo(404);

        Answer approved = post(GRANTS + "/" + id + "/approve", "bob", "{\"reason\":\"ok\"}");
        assertThat(approved.json().path("state").asText()).isEqualTo("approved");
        assertThat(approved.json().path("validUntil").isTextual()).isTrue();
        Answer revoked = post(GRANTS + "/" + id + "/revoke", "alice", "{\"reason\":\"done\"}");
        assertThat(revoked.json().path("state").asText()).isEqualTo("revoked");
        assertThat(revoked.json().path("revokedBy").asText()).isEqualTo("alice");
    }

    @Test
    void anApproverCannotApproveTheirOwnGrantNorCancelAnothers() {
        String id = post(GRANTS, "bob", "{\"cluster\":\"prod\",\"verbs\":[\"get\"],\"resources\":[\"pods\"],"
                + "\"duration\":\"30m\"}").json().path("id").asText();
        assertThat(post(GRANTS + "/" + id + "/approve", "bob", "").code()).isEqualTo(403);
        assertThat(post(GRANTS + "/" + id + "/cancel", "dave", "").code()).isEqualTo(403);
        assertThat(post(GRANTS + "/" + id + "/cancel", "bob", "").json().path("state").asText())
                .isEqualTo("cancelled");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"verbs\":[\"get\"],\"resources\":[\"pods\"],\"duration\":\"2h\"}                  | cluster: missing",
            "{\"cluster\":\"prod\",\"verbs\":\"get\",\"resources\":[\"pods\"],\"duration\":\"2h\"} | verbs: a string",
            "{\"cluster\":\"prod\",\"verbs\":[],\"resources\":[\"pods\"],\"duration\":\"2h\"}      | verbs: 0 items",
            "{\"cluster\":\"prod\",\"verbs\":[1],\"resources\":[\"pods\"],\"duration\":\"2h\"}     | verbs: an item",
            "{\"cluster\":\"prod\",\"verbs\":[\"get\"],\"resources\":[\"pods\"],\"duration\":\"forever\"} | duration",
            "{\"cluster\":\"prod\",\"verbs\":[\"get\"],\"resources\":[\"pods\"],\"duration\":\"-1h\"} | duration",
            "{\"cluster\":\"prod\",\"verbs\":[\"get\"],\"resources\":[\"pods\"],\"duration\":7200} | duration: a number",
            "{\"cluster\":\"prod\",\"verbs\":[\"get\"],\"resources\":[\"pods\"],\"duration\":\"2h\",\"admin\":true} | unknown field",
            "{\"cluster\":\"prod\",\"verbs\":[\"get\"],\"resources\":[\"pods\"],\"duration\":\"9h\"} | 8h"})
    void aBadGrantRequestIsBadRequestNamingTheField(String body, String says) {
        Answer a = post(GRANTS, "alice", body.strip());
        assertThat(a.code()).as(body).isEqualTo(400);
        assertThat(a.message()).contains(says);
    }

    @Test
    void everyAnswerCarriesAnAuditId() {
        assertThat(get(REVIEWS, "carol").auditId()).isNotBlank();
        assertThat(get(REVIEWS, null).auditId()).isNotBlank();
    }
}
