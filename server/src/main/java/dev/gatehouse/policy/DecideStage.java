package dev.gatehouse.policy;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.chain.BodyReader;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.Stage;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * The decide stage: policy over identity and request (and, only when a rule needs it, the object a write sends).
 * Records the {@link Decision} on the exchange; a {@link Decision.Deny} ends the request with 403 and the rule's
 * message; allow and review pass on (the hold stage deals with review).
 */
public final class DecideStage implements Stage {
    /** The apiserver's own limit on a request body; the most read to decide. */
    public static final int MAX_OBJECT_BYTES = 3 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PolicyEngine engine;

    public DecideStage(PolicyEngine engine) {
        this.engine = engine;
    }

    @Override
    public Future<Void> apply(Exchange exchange) {
        RequestInfo info = exchange.info();
        if (writes(info) && engine.needsObject(exchange.identity(), info)) {
            return BodyReader.readOnce(exchange, MAX_OBJECT_BYTES)
                    .compose(body -> decide(exchange, object(exchange, body)));
        }
        return decide(exchange, null);
    }

    private Future<Void> decide(Exchange exchange, JsonNode object) {
        Decision decision = engine.decide(new PolicyRequest(exchange.identity(), exchange.info(), object));
        exchange.decisionDetails().put("rule", decision.rule().name());
        if (decision instanceof Decision.Deny deny) {
            exchange.policy(decision, deny.message());
            return Future.failedFuture(GatewayException.forbidden(deny.message()));
        }
        exchange.policy(decision, decision instanceof Decision.Review ? "held for review by rule "
                + decision.rule().name() : "");
        return Future.succeededFuture();
    }

    /**
     * The object as JSON, or null when the body is empty or not JSON (a protobuf body): a condition over the object
     * then fails to evaluate, and the policy fails closed.
     */
    private static JsonNode object(Exchange exchange, Buffer body) {
        String type = exchange.head().headers().get("Content-Type");
        if (body.length() == 0 || (type != null && type.contains("protobuf"))) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body.getBytes());
            return node != null && node.isObject() ? node : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static boolean writes(RequestInfo info) {
        return switch (info.verb()) {
            case "create", "update", "patch" -> true;
            default -> false;
        };
    }
}
