package dev.gatehouse.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

/** The decide stage in memory: a fake engine, a fake body reader, no sockets. */
class DecideStageTest {
    private static final Identity ALICE = new Identity("alice", "", List.of("developers"), "tokens",
            AuthenticationMethod.STATIC_TOKEN, List.of(), Map.of(), "fp", null);

    /** Records what it was asked; needs the object when told to; decides what it is given. */
    private static final class FakeEngine implements PolicyEngine {
        final List<PolicyRequest> asked = new ArrayList<>();
        boolean needsObject;
        Decision decision = new Decision.Allow(new MatchedRule("allow-reads", "p.yaml", 3), "");

        @Override
        public boolean needsObject(Identity identity, RequestInfo request) {
            return needsObject;
        }

        @Override
        public Decision decide(PolicyRequest request) {
            asked.add(request);
            return decision;
        }
    }

    private static Exchange exchange(String method, String verb, String contentType, String body) {
        var headers = HttpHeaders.headers();
        if (contentType != null) {
            headers.add("Content-Type", contentType);
        }
        Exchange exchange = new Exchange("id-1", new RequestHead(method, "/api/v1/namespaces/dev/pods", "", headers,
                "127.0.0.1", true), Instant.now(), System.nanoTime());
        exchange.identity(ALICE);
        exchange.info(new RequestInfo("sandbox", "/api/v1/namespaces/dev/pods", true, verb, "api", "", "v1", "dev",
                "pods", "", ""));
        exchange.bodyReader(max -> body.length() > max
                ? Future.failedFuture(GatewayException.badRequest("too large"))
                : Future.succeededFuture(Buffer.buffer(body)));
        return exchange;
    }

    @Test
    void denyEndsTheRequestWith403AndTheRulesMessage() {
        FakeEngine engine = new FakeEngine();
        engine.decision = new Decision.Deny(new MatchedRule("no-prod-deletes", "p.yaml", 9), "",
                "deleting in prod is not allowed through Gatehouse");
        Exchange exchange = exchange("DELETE", "delete", null, "");
        Future<Void> result = new DecideStage(engine).apply(exchange);
        assertThat(result.failed()).isTrue();
        GatewayException refusal = (GatewayException) result.cause();
        assertThat(refusal.status().code()).isEqualTo(403);
        assertThat(refusal.status().message()).isEqualTo("deleting in prod is not allowed through Gatehouse");
        assertThat(exchange.decision()).isEqualTo("deny");
        assertThat(exchange.decisionDetails()).containsEntry("rule", "no-prod-deletes");
    }

    @Test
    void reviewPassesOnWithTheDecisionRecorded() {
        FakeEngine engine = new FakeEngine();
        engine.decision = new Decision.Review(new MatchedRule("hold-deletes", "p.yaml", 4), "",
                new ReviewRequirement(List.of("sre"), List.of(), 1, false, List.of(), null, null, null));
        Exchange exchange = exchange("DELETE", "delete", null, "");
        assertThat(new DecideStage(engine).apply(exchange).succeeded()).isTrue();
        assertThat(exchange.policy()).isInstanceOf(Decision.Review.class);
        assertThat(exchange.decision()).isEqualTo("review");
        assertThat(exchange.body()).as("nothing read ahead by decide").isNull();
    }

    @Test
    void readsTheObjectOnlyWhenARuleNeedsIt() {
        FakeEngine engine = new FakeEngine();
        Exchange streaming = exchange("POST", "create", "application/json", "{\"spec\":{\"replicas\":20}}");
        new DecideStage(engine).apply(streaming);
        assertThat(streaming.body()).isNull();
        assertThat(engine.asked.get(0).object()).isNull();

        engine.needsObject = true;
        Exchange read = exchange("POST", "create", "application/json", "{\"spec\":{\"replicas\":20}}");
        new DecideStage(engine).apply(read);
        assertThat(read.body().toString()).isEqualTo("{\"spec\":{\"replicas\":20}}");
        assertThat(engine.asked.get(1).object().at("/spec/replicas").asInt()).isEqualTo(20);
    }

    @Test
    void readsNoBodyForVerbsThatSendNoObject() {
        FakeEngine engine = new FakeEngine();
        engine.needsObject = true;
        Exchange exchange = exchange("GET", "get", null, "ignored");
        new DecideStage(engine).apply(exchange);
        assertThat(exchange.body()).isNull();
        assertThat(engine.asked.get(0).object()).isNull();
    }

    @Test
    void aBodyThatIsNotAJsonObjectGivesNoObject() {
        FakeEngine engine = new FakeEngine();
        engine.needsObject = true;
        for (String[] body : new String[][] {{"application/vnd.kubernetes.protobuf", "k8s\0\n\u0002v1"},
                {"application/json-patch+json", "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":50}]"},
                {"application/json", "{not json"}, {"application/json", ""}}) {
            Exchange exchange = exchange("PATCH", "patch", body[0], body[1]);
            assertThat(new DecideStage(engine).apply(exchange).succeeded()).isTrue();
            assertThat(engine.asked.get(engine.asked.size() - 1).object()).as(body[1]).isNull();
            assertThat(exchange.body().toString()).as("the bytes kept to forward as read").isEqualTo(body[1]);
        }
    }

    @Test
    void aBodyTooLargeToDecideIsRefused() {
        FakeEngine engine = new FakeEngine();
        engine.needsObject = true;
        Exchange exchange = exchange("POST", "create", "application/json", "x".repeat(DecideStage.MAX_OBJECT_BYTES + 1));
        assertThat(new DecideStage(engine).apply(exchange).failed()).isTrue();
        assertThat(engine.asked).isEmpty();
    }
}
