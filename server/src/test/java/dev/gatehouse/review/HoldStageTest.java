package dev.gatehouse.review;

import static dev.gatehouse.review.ReviewFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.classify.Upgrade;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.MatchedRule;
import dev.gatehouse.policy.ReviewRequirement;
import dev.gatehouse.review.store.SqliteReviewStore;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

/** The hold stage over the real review service and store, in memory: no sockets. */
class HoldStageTest {
    private static final Identity ALICE = new Identity("alice", "", List.of("developers"), "tokens",
            AuthenticationMethod.STATIC_TOKEN, List.of(), Map.of(), "fp", null);
    private static final Requester BOB = ReviewFixtures.user("bob", "sre");
    private static final String BODY = "{\"kind\":\"DeleteOptions\",\"propagationPolicy\":\"Background\"}";

    @TempDir
    Path dir;
    Vertx vertx;
    SqliteReviewStore store;
    ReviewService reviews;
    HoldStage hold;
    final AtomicInteger bodyReads = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        store = SqliteReviewStore.open(dir);
        reviews = new ReviewService(vertx, store, new ReviewFixtures.RecordingListener(), ReviewFixtures.settings(),
                Clock.systemUTC());
        hold = new HoldStage(reviews, Duration.ofSeconds(10), "gatehouse reviews approve %s");
    }

    @AfterEach
    void stop() {
        reviews.close();
        store.close();
        await(vertx.close());
    }

    private static Decision.Review review(Duration holdTime) {
        return new Decision.Review(new MatchedRule("hold-namespace-delete", "p.yaml", 7), "",
                new ReviewRequirement(List.of("sre"), List.of(), 1, false, List.of(), holdTime, Duration.ZERO, null));
    }

    private Exchange exchange(String name, String body, Decision decision) {
        var headers = HttpHeaders.headers().add("Content-Type", "application/json");
        Exchange exchange = new Exchange("audit-" + name + "-" + System.nanoTime(), new RequestHead("DELETE",
                "/api/v1/namespaces/" + name, "", headers, "127.0.0.1", true), Instant.now(), System.nanoTime());
        exchange.identity(ALICE);
        exchange.target("sandbox", "/api/v1/namespaces/" + name);
        exchange.info(new RequestInfo("sandbox", "/api/v1/namespaces/" + name, true, "delete", "api", "", "v1", name,
                "namespaces", "", name));
        exchange.bodyReader(max -> {
            bodyReads.incrementAndGet();
            return Future.succeededFuture(Buffer.buffer(body));
        });
        exchange.policy(decision, "");
        return exchange;
    }

    private Review pending() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            List<Review> open = await(reviews.reviews(ReviewState.PENDING, 10));
            if (!open.isEmpty()) {
                return open.get(0);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no pending review");
    }

    @Test
    void theClientsReasonIsKeptWithoutControlCharactersAndBounded() throws Exception {
        Exchange exchange = exchange("reasoned", BODY, review(Duration.ofMillis(200)));
        exchange.head().headers().add(HoldStage.REASON_HEADER, "deploy\tfix\t " + "x".repeat(600));
        assertThatThrownBy(() -> await(hold.apply(exchange))).isInstanceOf(GatewayException.class);
        Review review = pending();
        assertThat(review.reason()).startsWith("deploy?fix? ").hasSize(501).endsWith("…");
    }

    @Test
    void anAllowedRequestPassesWithoutReadingItsBody() {
        Exchange exchange = exchange("dev", BODY, new Decision.Allow(MatchedRule.DEFAULT, ""));
        assertThat(await(hold.apply(exchange))).isNull();
        assertThat(bodyReads).hasValue(0);
    }

    @Test
    void holdsUntilApprovedThenReleasesTheHeldBytes() throws Exception {
        Exchange exchange = exchange("scratch", BODY, review(Duration.ofSeconds(10)));
        Future<Void> held = hold.apply(exchange);
        Review review = pending();
        assertThat(held.isComplete()).isFalse();
        assertThat(review.request().bodySha256()).isEqualTo(RequestFingerprint.sha256(BODY.getBytes()));
        await(reviews.approve(review.id(), BOB, "ok"));
        await(held);
        assertThat(exchange.body().toString()).isEqualTo(BODY);
        assertThat(exchange.decision()).isEqualTo("allow");
        assertThat(exchange.decisionDetails()).containsEntry("reviewId", review.id());
    }

    @Test
    void anApprovalAfterTheClientWentAwayForwardsNothingAndStaysForARetry() throws Exception {
        Exchange exchange = exchange("gone", BODY, review(Duration.ofSeconds(10)));
        java.util.concurrent.atomic.AtomicBoolean gone = new java.util.concurrent.atomic.AtomicBoolean();
        exchange.clientGone(gone::get);
        Future<Void> held = hold.apply(exchange);
        Review review = pending();
        gone.set(true); // Ctrl-C while held
        await(reviews.approve(review.id(), BOB, "ok"));
        assertThatThrownBy(() -> await(held)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.status().message()).contains("went away").contains("not forwarded"));
        assertThat(await(reviews.review(review.id())).orElseThrow().state()).as("not used")
                .isEqualTo(ReviewState.APPROVED);
        Exchange retry = exchange("gone", BODY, review(Duration.ofSeconds(10)));
        await(hold.apply(retry));
        assertThat(retry.decisionDetails()).containsEntry("reviewId", review.id());
    }

    @Test
    void notApprovedInTimeIsRefusedNamingTheReviewTheApproversAndTheCommand() throws Exception {
        Exchange exchange = exchange("slow", BODY, review(Duration.ofMillis(200)));
        assertThatThrownBy(() -> await(hold.apply(exchange))).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.status().code()).isEqualTo(403);
            assertThat(e.status().message()).contains("held for review r-").contains("group sre")
                    .contains("gatehouse reviews approve r-");
        });
        assertThat(exchange.decision()).isEqualTo("review");
        assertThat(exchange.decisionDetails()).containsKey("reviewId");
    }

    @Test
    void aRetryOfTheSameBytesIsReleasedOnceAndAnotherBodyIsHeldAgain() throws Exception {
        Exchange first = exchange("retry", BODY, review(Duration.ofMillis(200)));
        assertThatThrownBy(() -> await(hold.apply(first))).isInstanceOf(GatewayException.class);
        Review review = pending();
        await(reviews.approve(review.id(), BOB, "ok"));

        Exchange changed = exchange("retry", BODY.replace("Background", "Orphan"), review(Duration.ofMillis(200)));
        assertThatThrownBy(() -> await(hold.apply(changed))).as("the same object with another body")
                .isInstanceOf(GatewayException.class);
        assertThat(changed.decisionDetails().get("reviewId")).isNotEqualTo(review.id());

        Exchange retry = exchange("retry", BODY, review(Duration.ofMillis(200)));
        await(hold.apply(retry));
        assertThat(retry.decisionDetails()).containsEntry("reviewId", review.id());
        Exchange again = exchange("retry", BODY, review(Duration.ofMillis(200)));
        assertThatThrownBy(() -> await(hold.apply(again))).as("approved once: used up")
                .isInstanceOf(GatewayException.class);
    }

    @Test
    void aGrantCoveringTheRequestLetsItThroughWithoutAReview() {
        Requester alice = Requester.of(ALICE);
        Grant grant = await(reviews.requestGrant(alice, new Grant.Scope("sandbox", List.of("cleanup"),
                List.of("delete"), List.of("namespaces")), Duration.ofMinutes(5), "cleanup"));
        await(reviews.approveGrant(grant.id(), BOB, "ok"));
        Exchange exchange = exchange("cleanup", BODY, review(Duration.ofSeconds(10)));
        await(hold.apply(exchange));
        assertThat(exchange.decisionDetails()).containsEntry("grantId", grant.id());
        assertThat(await(reviews.reviews(null, 10))).isEmpty();
    }

    @Test
    void aSessionPassesAtOnceWithAPendingApprovalReleasedByTheApproval() throws Exception {
        Exchange exchange = exchange("exec", "", review(Duration.ofSeconds(10)));
        exchange.upgrade(new Upgrade(Upgrade.Kind.WEBSOCKET, List.of("v5.channel.k8s.io")));
        await(hold.apply(exchange));
        assertThat(exchange.pending()).isNotNull();
        assertThat(exchange.pending().notice()).contains(exchange.pending().reviewId())
                .contains("gatehouse reviews approve").endsWith("\r\n");
        assertThat(exchange.pending().released().isComplete()).isFalse();
        await(reviews.approve(exchange.pending().reviewId(), BOB, "ok"));
        await(exchange.pending().released());
        assertThat(exchange.decision()).isEqualTo("allow");
    }

    private Exchange session(String subresource, Upgrade.Kind kind) {
        String path = "/api/v1/namespaces/prod/pods/web/" + subresource;
        Exchange exchange = new Exchange("audit-" + subresource + "-" + System.nanoTime(), new RequestHead(
                kind == Upgrade.Kind.WEBSOCKET ? "GET" : "POST", path, "command=sh", HttpHeaders.headers(),
                "127.0.0.1", false), Instant.now(), System.nanoTime());
        exchange.identity(ALICE);
        exchange.target("sandbox", path);
        exchange.info(new RequestInfo("sandbox", path, true, kind == Upgrade.Kind.WEBSOCKET ? "get" : "create", "api",
                "", "v1", "prod", "pods", subresource, "web"));
        exchange.bodyReader(max -> Future.succeededFuture(Buffer.buffer()));
        exchange.upgrade(new Upgrade(kind, subresource.equals("portforward")
                ? List.of(kind == Upgrade.Kind.WEBSOCKET ? Upgrade.PORTFORWARD_WEBSOCKET : Upgrade.PORTFORWARD_SPDY)
                : List.of("v5.channel.k8s.io")));
        exchange.policy(review(Duration.ofSeconds(10)), "");
        return exchange;
    }

    private HoldStage holdWith(String gitVersion) {
        return new HoldStage(reviews, Duration.ofSeconds(10), "gatehouse reviews approve %s", cluster -> {
            assertThat(cluster).isEqualTo("sandbox");
            return Future.succeededFuture(gitVersion == null ? java.util.Optional.empty()
                    : dev.gatehouse.forward.ClusterVersion.parse(("{\"major\":\"1\",\"minor\":\""
                    + gitVersion.split("\\.")[1] + "\",\"gitVersion\":\"" + gitVersion + "\"}").getBytes()));
        });
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "v1.20.2, exec, 403", "v1.20.2, attach, 403", "v1.20.2, portforward, 400", "v1.29.9, exec, 403",
            "v1.30.0, portforward, 400"})
    void aWebSocketSessionToAClusterThatTakesItOverSpdyOnlyIsRefusedWithoutAReview(String version, String subresource,
                                                                                 int code) {
        Exchange exchange = session(subresource, Upgrade.Kind.WEBSOCKET);
        assertThatThrownBy(() -> await(holdWith(version).apply(exchange)))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status().code()).isEqualTo(code);
                    assertThat(e.status().message()).isEqualTo("cluster \"sandbox\" (" + version + ") takes "
                            + subresource + " sessions over SPDY only; the gateway holds them there (kubectl falls "
                            + "back by itself)");
                });
        assertThat(exchange.pending()).isNull();
        assertThat(exchange.decisionDetails()).containsEntry("clusterVersion", version)
                .containsEntry("fallback", "spdy").doesNotContainKey("reviewId");
        assertThat(await(reviews.reviews(null, 10))).as("no review for the attempt kubectl abandons").isEmpty();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(nullValues = "unknown", value = {
            "v1.30.0, exec, WEBSOCKET", "v1.30.0, attach, WEBSOCKET", "v1.31.0, portforward, WEBSOCKET",
            "unknown, exec, WEBSOCKET", "unknown, portforward, WEBSOCKET",
            "v1.20.2, exec, SPDY", "v1.20.2, portforward, SPDY"})
    void aSessionTheClusterTakesOrOfAnUnknownClusterIsHeld(String version, String subresource, Upgrade.Kind kind)
            throws Exception {
        Exchange exchange = session(subresource, kind);
        await(holdWith(version).apply(exchange));
        assertThat(exchange.pending()).isNotNull();
        assertThat(await(reviews.reviews(ReviewState.PENDING, 10))).singleElement()
                .satisfies(r -> assertThat(r.id()).isEqualTo(exchange.pending().reviewId()));
        assertThat(exchange.decisionDetails()).doesNotContainKey("fallback");
    }

    @Test
    void theSpdyRetryAfterTheRefusalIsHeldOnceAndReleasedByOneApproval() throws Exception {
        HoldStage old = holdWith("v1.20.2");
        Exchange webSocket = session("exec", Upgrade.Kind.WEBSOCKET);
        assertThat(old.apply(webSocket).failed()).isTrue();
        Exchange spdy = session("exec", Upgrade.Kind.SPDY);
        await(old.apply(spdy));
        assertThat(await(reviews.reviews(null, 10))).hasSize(1);
        await(reviews.approve(spdy.pending().reviewId(), BOB, "ok"));
        await(spdy.pending().released());
        assertThat(spdy.decision()).isEqualTo("allow");
    }

    @Test
    void anAllowedWebSocketSessionIsNotAskedAboutAtAll() {
        HoldStage asking = new HoldStage(reviews, Duration.ofSeconds(10), "x %s", cluster -> {
            throw new AssertionError("asked for the version of " + cluster);
        });
        Exchange exchange = session("exec", Upgrade.Kind.WEBSOCKET);
        exchange.policy(new Decision.Allow(MatchedRule.DEFAULT, ""), "");
        assertThat(await(asking.apply(exchange))).isNull();
    }
}
