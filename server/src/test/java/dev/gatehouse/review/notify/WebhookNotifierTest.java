package dev.gatehouse.review.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatehouse.review.ReviewState;
import dev.gatehouse.review.notify.FakeReceiver.Answer;
import dev.gatehouse.review.notify.ReviewNotice.Kind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;

@Timeout(60)
class WebhookNotifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET_PATH = "/services/T0/B0/s3cr3tpath";
    private static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(10), Duration.ofSeconds(5), 5,
            Duration.ofMinutes(1));

    private Vertx vertx;
    private FakeReceiver receiver;
    private WebhookNotifier notifier;
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        receiver = FakeReceiver.plain(vertx);
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        if (notifier != null) {
            FakeReceiver.await(notifier.shutdown());
        }
        receiver.close();
        FakeReceiver.await(vertx.close());
    }

    private WebhookNotifier notifier(WebhookTarget target, RetryPolicy retry, int capacity, Duration timeout) {
        notifier = new WebhookNotifier(vertx, new WebhookNotifierSettings(List.of(target), retry, capacity, timeout),
                registry);
        return notifier;
    }

    private WebhookNotifier notifier(WebhookTarget target) {
        return notifier(target, FAST, 100, Duration.ofSeconds(5));
    }

    private WebhookTarget target(WebhookFormat format) {
        return WebhookTarget.of("chat", receiver.url(SECRET_PATH), format);
    }

    private double count(String outcome) {
        Counter c = registry.find(NotificationMetrics.NAME).tags("target", "chat", "outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    private void awaitCount(String outcome, double n) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(count(outcome)).isEqualTo(n));
    }

    private String allLogs() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).reduce("", (a, b) -> a + "\n" + b);
    }

    @Test
    void postsSlackMessageWithTheApproveCommand() throws Exception {
        notifier(target(WebhookFormat.SLACK)).notify(Notices.created("cleanup"));

        awaitCount("delivered", 1);
        FakeReceiver.Received post = receiver.received.getFirst();
        assertThat(post.path()).isEqualTo(SECRET_PATH);
        assertThat(post.headers().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
        JsonNode slack = JSON.readTree(post.body());
        assertThat(slack.path("text").asText()).contains("gatehouse reviews approve r-abcdefghijklmnopqrstuvwxyz");
        assertThat(slack.path("blocks").isArray()).isTrue();
    }

    @Test
    void postsGenericJson() throws Exception {
        notifier(target(WebhookFormat.JSON)).notify(Notices.created("cleanup"));

        awaitCount("delivered", 1);
        JsonNode doc = JSON.readTree(receiver.received.getFirst().body());
        assertThat(doc.path("apiVersion").asText()).isEqualTo("gatehouse.dev/v1");
        assertThat(doc.path("kind").asText()).isEqualTo("ReviewNotification");
        assertThat(doc.path("event").asText()).isEqualTo("created");
        assertThat(doc.path("review").path("id").asText()).isEqualTo("r-abcdefghijklmnopqrstuvwxyz");
    }

    @Test
    void retriesAfter503UntilDelivered() {
        receiver.script.add(Answer.of(503));
        receiver.script.add(Answer.of(502));
        notifier(target(WebhookFormat.JSON)).notify(Notices.created("x"));

        awaitCount("delivered", 1);
        assertThat(receiver.received).hasSize(3);
        assertThat(receiver.received).extracting(FakeReceiver.Received::body).containsOnly(
                receiver.received.getFirst().body());
        assertThat(receiver.received).extracting(r -> r.headers().get("X-Gatehouse-Notification-Id"))
                .containsOnly("r-abcdefghijklmnopqrstuvwxyz:created:1");
        assertThat(count("retried")).isEqualTo(2);
    }

    @Test
    void honoursRetryAfter() {
        receiver.script.add(Answer.of(429, "Retry-After", "1"));
        notifier(target(WebhookFormat.JSON)).notify(Notices.created("x"));

        awaitCount("delivered", 1);
        assertThat(receiver.received).hasSize(2);
        long gapMs = (receiver.received.get(1).atNanos() - receiver.received.get(0).atNanos()) / 1_000_000;
        assertThat(gapMs).isGreaterThanOrEqualTo(950);
    }

    @Test
    void givesUpOn400OnceAndGoesOnWithTheNext() {
        receiver.script.add(Answer.of(400));
        WebhookNotifier n = notifier(target(WebhookFormat.JSON));
        n.notify(Notices.created("first"));
        n.notify(Notices.approvedBy(Notices.BOB, false, ReviewState.APPROVED));

        awaitCount("delivered", 1);
        assertThat(count("rejected")).isEqualTo(1);
        assertThat(count("retried")).isZero();
        assertThat(receiver.received).extracting(r -> JSON.readTree(r.body()).path("event").asText())
                .containsExactly("created", "approved");
        assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().contains("given up")).hasSize(1);
        assertThat(allLogs()).contains("answered 400").doesNotContain("s3cr3tpath");
    }

    @Test
    void doesNotFollowRedirects() {
        receiver.script.add(Answer.of(302, "Location", receiver.url("/elsewhere")));
        notifier(target(WebhookFormat.JSON)).notify(Notices.created("x"));

        awaitCount("rejected", 1);
        assertThat(receiver.received).extracting(FakeReceiver.Received::path).containsExactly(SECRET_PATH);
    }

    @Test
    void givesUpAfterTheLastAttempt() {
        receiver.otherwise = Answer.of(500);
        notifier(target(WebhookFormat.JSON), new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(20), 3,
                Duration.ofMinutes(1)), 10, Duration.ofSeconds(5)).notify(Notices.created("x"));

        awaitCount("failed", 1);
        assertThat(receiver.received).hasSize(3);
        assertThat(allLogs()).contains("given up after 3 attempts");
    }

    @Test
    void timesOutASilentReceiverWithoutLoggingTheSecretPath() {
        receiver.otherwise = Answer.silence();
        notifier(target(WebhookFormat.JSON), new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(20), 2,
                Duration.ofMinutes(1)), 10, Duration.ofMillis(300)).notify(Notices.created("x"));

        awaitCount("failed", 1);
        assertThat(receiver.received).hasSize(2);
        assertThat(allLogs()).contains("chat").doesNotContain("s3cr3tpath");
    }

    @Test
    void aReceiverThatNeverEndsItsAnswerIsCutOffAndTheNextNoticeStillGoes() {
        receiver.script.add(Answer.endless(200));
        WebhookNotifier n = notifier(target(WebhookFormat.JSON), FAST, 10, Duration.ofMillis(500));
        n.notify(Notices.created("first"));
        n.notify(Notices.approvedBy(Notices.BOB, false, ReviewState.APPROVED));

        awaitCount("delivered", 2);
        assertThat(receiver.received).hasSize(2);
    }

    @Test
    void queueStaysBoundedAndNotifyStaysFastWhenTheReceiverNeverAnswers() {
        receiver.otherwise = Answer.silence();
        WebhookNotifier n = notifier(target(WebhookFormat.SLACK), RetryPolicy.DEFAULT, 10, Duration.ofSeconds(30));

        long start = System.nanoTime();
        for (int i = 0; i < 20_000; i++) {
            n.notify(Notices.created("flood " + i));
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(elapsedMs).isLessThan(3_000);
        assertThat(n.waiting("chat")).isLessThanOrEqualTo(10);
        assertThat(count("dropped")).isGreaterThanOrEqualTo(20_000 - 11);
        assertThat(allLogs()).contains("queue full (10 waiting), dropped the oldest");
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received.size() == 1);
    }

    @Test
    void postsOverTlsTrustingTheConfiguredCa(@TempDir Path dir) throws Exception {
        try (FakeReceiver secure = FakeReceiver.tls(vertx, dir)) {
            var url = WebhookTarget.parse("k", secure.url("/hook"));
            notifier(new WebhookTarget("chat", url, WebhookFormat.JSON, secure.caFile, List.of(), Set.of()))
                    .notify(Notices.created("x"));

            awaitCount("delivered", 1);
            assertThat(secure.received).hasSize(1);
        }
    }

    @Test
    void refusesAReceiverItsCaDidNotIssue(@TempDir Path dir) throws Exception {
        try (FakeReceiver secure = FakeReceiver.tls(vertx, Files.createDirectories(dir.resolve("a")));
             FakeReceiver other = FakeReceiver.tls(vertx, Files.createDirectories(dir.resolve("b")))) {
            var url = WebhookTarget.parse("k", secure.url("/hook"));
            notifier(new WebhookTarget("chat", url, WebhookFormat.JSON, other.caFile, List.of(), Set.of()),
                    new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(20), 2, Duration.ofMinutes(1)), 10,
                    Duration.ofSeconds(5)).notify(Notices.created("x"));

            awaitCount("failed", 1);
            assertThat(secure.received).isEmpty();
        }
    }

    @Test
    void sendsHeaderValuesFromFilesAndNeverLogsThem(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "Bearer t0ken-value\n");
        var url = WebhookTarget.parse("k", receiver.url(SECRET_PATH));
        notifier(new WebhookTarget("chat", url, WebhookFormat.JSON, null,
                List.of(WebhookHeader.fromFile("Authorization", token), WebhookHeader.of("X-Team", "sre")),
                Set.of())).notify(Notices.created("x"));

        awaitCount("delivered", 1);
        assertThat(receiver.received.getFirst().headers().get("Authorization")).isEqualTo("Bearer t0ken-value");
        assertThat(receiver.received.getFirst().headers().get("X-Team")).isEqualTo("sre");
        assertThat(allLogs()).contains("headers [Authorization, X-Team]").doesNotContain("t0ken-value");
    }

    @Test
    void refusesAHeaderFileThatWouldInjectHeaders(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "Bearer x\r\nX-Injected: yes\n");
        var url = WebhookTarget.parse("k", receiver.url("/hook"));
        notifier(new WebhookTarget("chat", url, WebhookFormat.JSON, null,
                List.of(WebhookHeader.fromFile("Authorization", token)), Set.of())).notify(Notices.created("x"));

        awaitCount("rejected", 1);
        assertThat(receiver.received).isEmpty();
        assertThat(allLogs()).contains("headers.Authorization.file: ").contains("holds a line break")
                .doesNotContain("X-Injected");
    }

    @Test
    void sendsOnlyTheConfiguredEvents() {
        var url = WebhookTarget.parse("k", receiver.url("/hook"));
        WebhookNotifier n = notifier(new WebhookTarget("chat", url, WebhookFormat.JSON, null, List.of(),
                Set.of(Kind.APPROVED)));
        n.notify(Notices.created("x"));
        n.notify(Notices.approvedBy(Notices.BOB, false, ReviewState.APPROVED));

        awaitCount("delivered", 1);
        assertThat(receiver.received).hasSize(1);
        assertThat(receiver.received.getFirst().body()).contains("\"event\":\"approved\"");
    }

    @Test
    void countsInPrometheusAsReviewNotificationsTotal() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        notifier = new WebhookNotifier(vertx, WebhookNotifierSettings.of(List.of(target(WebhookFormat.SLACK))),
                prometheus);
        notifier.notify(Notices.created("x"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(prometheus.scrape())
                .contains("gatehouse_review_notifications_total{outcome=\"delivered\",target=\"chat\"} 1.0"));
    }

    @Test
    void notifyAfterShutdownIsANoOp() {
        WebhookNotifier n = notifier(target(WebhookFormat.JSON));
        FakeReceiver.await(n.shutdown());
        notifier = null;

        n.notify(Notices.created("x"));

        assertThat(n.waiting("chat")).isZero();
        assertThat(receiver.received).isEmpty();
    }
}
