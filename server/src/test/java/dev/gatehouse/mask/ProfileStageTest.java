package dev.gatehouse.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.forward.BodyTransform;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.MatchedRule;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

class ProfileStageTest {
    static final Instant NOW = Instant.now(); // the choice reads the system clock for the grant's end
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String VALUE = "hunter2-s3cret";
    static final String SECRET = SecretBodies.secret("s", Map.of("k", VALUE), null).toString();
    final MaskingChoice choice = new MaskingChoice(MaskingSettings.defaults(), () -> SecretBodies.KEY);

    static Exchange secretRead(String profile) {
        Exchange exchange = MaskingChoiceTest.secrets("get");
        exchange.policy(new Decision.Allow(new MatchedRule("r", "policy.yaml", 1), profile), "rule r");
        return exchange;
    }

    static ProfileStage stage(Optional<ProfileStage.ClearGrant> grant, AtomicInteger asked) {
        return new ProfileStage(exchange -> {
            asked.incrementAndGet();
            return Future.succeededFuture(grant);
        }, CLOCK);
    }

    String respond(Exchange exchange) {
        BodyTransform transform = choice.of(exchange, 200, MaskingChoiceTest.headers("Content-Type",
                "application/json"));
        return transform.chunk(Buffer.buffer(SECRET)).appendBuffer(transform.end()).toString(StandardCharsets.UTF_8);
    }

    @Test
    void showsTheClientValuesInClearWithACoveringGrantAndRecordsTheGrant() {
        Exchange exchange = secretRead("clear");
        AtomicInteger asked = new AtomicInteger();
        stage(Optional.of(new ProfileStage.ClearGrant("g-1", NOW.plusSeconds(3600))), asked).apply(exchange);

        assertThat(respond(exchange)).contains(SecretBodies.base64(VALUE));
        assertThat(exchange.clearUntil()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(exchange.decisionDetails()).containsEntry("maskProfile", "clear").containsEntry("maskGrantId", "g-1")
                .allSatisfy((k, v) -> assertThat(v).doesNotContain(VALUE));
        assertThat(asked).hasValue(1);
    }

    @Test
    void masksTheClearProfileWithoutAGrant() {
        Exchange exchange = secretRead("clear");
        stage(Optional.empty(), new AtomicInteger()).apply(exchange);

        assertThat(respond(exchange)).doesNotContain(SecretBodies.base64(VALUE));
        assertThat(exchange.clearUntil()).isNull();
        assertThat(exchange.decisionDetails()).containsEntry("maskProfile", "clear")
                .containsEntry("maskView", "masked (no approved grant covers the request)")
                .doesNotContainKey("maskGrantId");
    }

    @Test
    void masksWithAGrantThatHasAlreadyEndedOrWasNeverApproved() {
        for (Instant until : new Instant[] {NOW, NOW.minusSeconds(1), null}) {
            Exchange exchange = secretRead("clear");
            stage(Optional.of(new ProfileStage.ClearGrant("g-2", until)), new AtomicInteger()).apply(exchange);
            assertThat(respond(exchange)).doesNotContain(SecretBodies.base64(VALUE));
            assertThat(exchange.clearUntil()).isNull();
        }
    }

    @Test
    void masksWhenTheGrantCannotBeLookedUp() {
        Exchange failed = secretRead("clear");
        Future<Void> passed = new ProfileStage(e -> Future.failedFuture(new IllegalStateException("store down")), CLOCK)
                .apply(failed);
        Exchange thrown = secretRead("clear");
        new ProfileStage(e -> {
            throw new IllegalStateException("bug");
        }, CLOCK).apply(thrown);

        assertThat(passed.succeeded()).isTrue();
        assertThat(respond(failed)).doesNotContain(SecretBodies.base64(VALUE));
        assertThat(respond(thrown)).doesNotContain(SecretBodies.base64(VALUE));
    }

    @Test
    void neverLooksForAGrantForTheMaskedProfileOrNone() {
        AtomicInteger asked = new AtomicInteger();
        ProfileStage stage = stage(Optional.of(new ProfileStage.ClearGrant("g-3", NOW.plusSeconds(60))), asked);
        for (String profile : new String[] {"", "masked"}) {
            Exchange exchange = secretRead(profile);
            stage.apply(exchange);
            assertThat(respond(exchange)).doesNotContain(SecretBodies.base64(VALUE));
        }
        assertThat(asked).hasValue(0);
    }

    @Test
    void asksForJsonOnRuleAndDetectorPathsAndRefusesProtobufThere() {
        MultiMap headers = MaskingChoiceTest.headers("Accept", "application/vnd.kubernetes.protobuf,application/json");
        choice.requestHeaders(MaskingChoiceTest.exchange("GET", "", "pods", "list"), headers);
        assertThat(headers.get("Accept")).isEqualTo("application/json");

        MultiMap nodes = MaskingChoiceTest.headers("Accept", "application/vnd.kubernetes.protobuf");
        choice.requestHeaders(MaskingChoiceTest.exchange("GET", "", "nodes", "list"), nodes);
        assertThat(nodes.get("Accept")).isEqualTo("application/vnd.kubernetes.protobuf");

        assertThatThrownBy(() -> choice.of(MaskingChoiceTest.exchange("GET", "", "configmaps", "get"), 200,
                MaskingChoiceTest.headers("Content-Type", "application/vnd.kubernetes.protobuf")))
                .isInstanceOf(GatewayException.class).hasMessageContaining("responses for configmaps");
        assertThat(choice.of(MaskingChoiceTest.exchange("GET", "", "nodes", "get"), 200,
                MaskingChoiceTest.headers("Content-Type", "application/json"))).isSameAs(BodyTransform.IDENTITY);
    }
}
