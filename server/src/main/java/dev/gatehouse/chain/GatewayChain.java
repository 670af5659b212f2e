package dev.gatehouse.chain;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.authn.AuthenticateStage;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.classify.ClassifyStage;
import dev.gatehouse.classify.ClusterRoutes;
import dev.gatehouse.forward.Forwarder;
import dev.gatehouse.listen.HeaderGuard;
import dev.gatehouse.mask.MarkerGuard;
import dev.gatehouse.policy.DecideStage;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.record.EvidenceGate;
import dev.gatehouse.record.Recorder;
import dev.gatehouse.review.HoldStage;
import dev.gatehouse.session.SessionBridge;
import dev.gatehouse.status.GatewayException;
import dev.gatehouse.status.KubeStatus;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * The request path, in request order, in one place. Every request to {@code /clusters/<name>/...} passes
 * these stages; the first that refuses ends it with a Kubernetes Status, and every request — forwarded or
 * refused — leaves exactly one completed audit event, durable before the client sees the response end.
 */
public final class GatewayChain implements Handler<HttpServerRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayChain.class);

    private final List<Stage> stages;
    private final Forwarder forwarder;
    private final SessionBridge sessions;
    private final Recorder recorder;

    private GatewayChain(List<Stage> stages, Forwarder forwarder, SessionBridge sessions, Recorder recorder) {
        this.stages = List.copyOf(stages);
        this.forwarder = forwarder;
        this.sessions = sessions;
        this.recorder = recorder;
    }

    /** Builds the chain. Read it top to bottom: this is the whole request path. */
    public static GatewayChain build(Authenticator authenticator, ClusterRoutes clusters, PolicyEngine policy,
                                     HoldStage hold, Stage maskProfile, Recorder recorder, Forwarder forwarder,
                                     SessionBridge sessions) {
        return new GatewayChain(List.of(
                new AuthenticateStage(authenticator), // authenticate: bearer token -> Identity (401 otherwise)
                new ClassifyStage(clusters),          // classify: hostile paths 400, unknown cluster 404, RequestInfo
                new HeaderGuard(),                    // no client-chosen identity (403); only recordable upgrades
                new DecideStage(policy),              // decide: allow / deny (403 with the rule's message) / review
                new MarkerGuard(),                    // masked values are never written back as values (400)
                hold,                                 // hold: a review passes on a grant or an approval, else waits
                maskProfile,                          // mask profile: clear only with a covering grant, else masked
                new EvidenceGate(recorder)            // record: 503 while the log is down; write-ahead for mutations
        ), forwarder, sessions, recorder);            // forward: stream to the cluster (or bridge a session); record
    }

    /** A chain whose policy allows everything (tests and benchmarks of the rest of the path). */
    public static GatewayChain withoutPolicy(Authenticator authenticator, ClusterRoutes clusters, Recorder recorder,
                                             Forwarder forwarder, SessionBridge sessions) {
        return new GatewayChain(List.of(new AuthenticateStage(authenticator), new ClassifyStage(clusters),
                new HeaderGuard(), new DecideStage(PolicyEngine.allowAll()), new MarkerGuard(),
                new EvidenceGate(recorder)),
                forwarder, sessions, recorder);
    }

    @Override
    public void handle(HttpServerRequest request) {
        request.pause();
        Exchange exchange = new Exchange(RequestHead.of(request));
        exchange.bodyReader(max -> readBody(request, max));
        exchange.clientGone(() -> request.response().closed());
        request.response().putHeader("Audit-ID", exchange.id());
        run(exchange, 0)
                .compose(v -> exchange.upgrade() != null ? sessions.bridge(exchange, request)
                        : forwarder.forward(exchange, request))
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
        recorder.recordRefusal(exchange, status, request.bytesRead()).onComplete(ar -> {
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
