package dev.gatehouse.chain;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.status.GatewayException;
import dev.gatehouse.status.KubeStatus;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Runs the request path: the stages in order, then the terminal step (forward, or bridge a session). The first stage
 * that refuses ends the request with a Kubernetes Status, and every request — forwarded or refused — leaves exactly
 * one completed audit event, durable before the client sees the response end. Which stages, in which order, is said
 * in one place above the packages that provide them: {@code dev.gatehouse.RequestPath}.
 */
public final class GatewayChain implements Handler<HttpServerRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayChain.class);

    /** What a request that passed every stage becomes: forwarded, or bridged as a session. */
    @FunctionalInterface
    public interface Terminal {
        Future<Void> serve(Exchange exchange, HttpServerRequest request);
    }

    private final List<Stage> stages;
    private final Terminal terminal;
    private final Evidence evidence;

    /**
     * @param stages   in request order
     * @param terminal what a request that passed them becomes
     * @param evidence where refusals are recorded
     */
    public GatewayChain(List<Stage> stages, Terminal terminal, Evidence evidence) {
        this.stages = List.copyOf(stages);
        this.terminal = terminal;
        this.evidence = evidence;
    }

    @Override
    public void handle(HttpServerRequest request) {
        request.pause();
        Exchange exchange = new Exchange(RequestHead.of(request));
        exchange.bodyReader(max -> readBody(request, max));
        exchange.clientGone(() -> request.response().closed());
        request.response().putHeader("Audit-ID", exchange.id());
        run(exchange, 0)
                .compose(v -> terminal.serve(exchange, request))
                .onFailure(error -> refuse(exchange, request, error));
    }

    Future<Void> run(Exchange exchange, int index) {
        if (index == stages.size()) {
            return Future.succeededFuture();
        }
        Future<Void> step;
        try {
            step = stages.get(index).apply(exchange);
        } catch (RuntimeException e) {
            step = Future.failedFuture(e);
        }
        return step.compose(v -> run(exchange, index + 1));
    }

    /** The whole body of a paused request, at most {@code max} bytes (413 beyond, the rest discarded). */
    static Future<Buffer> readBody(HttpServerRequest request, int max) {
        String length = request.getHeader("Content-Length");
        if (length != null && length.length() < 19 && length.chars().allMatch(Character::isDigit)
                && Long.parseLong(length) > max) {
            return Future.failedFuture(tooLarge(max));
        }
        Promise<Buffer> done = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > max) {
                done.tryFail(tooLarge(max)); // later chunks are read and dropped, so the connection stays usable
            } else if (!done.future().isComplete()) {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(done::tryFail);
        request.endHandler(v -> done.tryComplete(body));
        request.resume();
        return done.future();
    }

    private static GatewayException tooLarge(int max) {
        return new GatewayException(KubeStatus.of(413, "the request body is larger than " + max
                + " bytes, the most the gateway reads to decide or hold a request"));
    }

    private void refuse(Exchange exchange, HttpServerRequest request, Throwable error) {
        KubeStatus status;
        if (error instanceof GatewayException ge) {
            status = ge.status();
        } else {
            LOG.error("{} internal error", exchange.id(), error);
            status = KubeStatus.of(500, "internal error in the gateway (request " + exchange.id() + ")");
        }
        if (!request.isEnded()) {
            try {
                request.resume(); // discard an unread body so the connection stays usable
            } catch (IllegalStateException alreadyPiped) {
                // the forwarder had started reading the body; nothing is left to discard
            }
        }
        evidence.refused(exchange, status, request.bytesRead()).onComplete(ar -> {
            KubeStatus sent = status;
            if (ar.failed()) {
                LOG.error("{} cannot record refusal: {}", exchange.id(), ar.cause().getMessage());
                sent = KubeStatus.of(503, "the audit log cannot be written, so no request is served");
            }
            LOG.debug("{} refused {} {}: {}", exchange.id(), sent.code(), exchange.head().rawPath(), sent.message());
            if (!request.response().ended() && !request.response().closed()) {
                request.response().setStatusCode(sent.code())
                        .putHeader("Content-Type", "application/json")
                        .end(sent.toJson());
            }
        });
    }
}
