package dev.gatehouse.api;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.authn.AuthenticateStage;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.identity.Identity;
import dev.gatehouse.review.Grant;
import dev.gatehouse.review.Requester;
import dev.gatehouse.review.Review;
import dev.gatehouse.review.ReviewException;
import dev.gatehouse.review.Reviews;
import dev.gatehouse.status.GatewayException;
import dev.gatehouse.status.KubeStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * The reviews API: {@code GET /gatehouse/v1/reviews[/<id>]},
 * {@code POST /gatehouse/v1/reviews/<id>/approve|deny|cancel},
 * {@code GET /gatehouse/v1/grants[/<id>]}, {@code POST /gatehouse/v1/grants} (request a grant) and
 * {@code POST /gatehouse/v1/grants/<id>/approve|deny|revoke|cancel}. Callers authenticate like cluster requests
 * ({@link AuthenticateStage}, 401); the caller is the reviewer or requester the {@link Reviews} service is given, and
 * its rules refuse (403 self-approval, 409 no longer pending, ...). A caller sees what they asked for, what they may
 * approve, and everything when the {@code readers} admit them; anything else is 404, as if it did not exist. Errors
 * are Kubernetes Status.
 */
public final class ReviewApi {
    private static final Logger LOG = LoggerFactory.getLogger(ReviewApi.class);
    /** How much of a body over the bound is read and discarded (so that the client sees the 413) before a cut. */
    private static final long DRAIN_BYTES = 1024 * 1024;
    /** How long after the answer the rest of such a body may take. */
    private static final long DRAIN_MILLIS = 10_000;

    private final Vertx vertx;
    private final AuthenticateStage authenticate;
    private final Reviews reviews;
    private final EvidenceReaders readers;
    private final Settings settings;

    /**
     * @param maxBodyBytes the largest JSON body accepted (413 beyond)
     * @param defaultLimit how many items a list returns when no {@code limit} is given
     * @param maxLimit     the most a list returns, whatever {@code limit} asks for
     */
    public record Settings(int maxBodyBytes, int defaultLimit, int maxLimit) {
        public Settings {
            if (maxBodyBytes < 256) {
                throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " (expected: >= 256)");
            }
            if (defaultLimit < 1 || maxLimit < defaultLimit) {
                throw new IllegalArgumentException("defaultLimit, maxLimit: " + defaultLimit + ", " + maxLimit
                        + " (expected: 1 <= defaultLimit <= maxLimit)");
            }
        }

        /** 16 KiB bodies, 100 items by default, at most 500. */
        public static Settings defaults() {
            return new Settings(16 * 1024, 100, 500);
        }
    }

    /**
     * @param authenticator the gateway's authenticator (the one cluster requests use)
     * @param reviews       the review service
     * @param readers       who sees every review and grant ({@code audit.readers})
     */
    public ReviewApi(Vertx vertx, Authenticator authenticator, Reviews reviews, EvidenceReaders readers,
                     Settings settings) {
        this.vertx = vertx;
        this.authenticate = new AuthenticateStage(authenticator);
        this.reviews = reviews;
        this.readers = readers;
        this.settings = settings;
    }

    /** Answers requests under {@code /gatehouse/v1/reviews} and {@code /gatehouse/v1/grants}; false for others. */
    public boolean handle(HttpServerRequest request) {
        if (!ReviewCall.owns(request.path())) {
            return false;
        }
        Context context = vertx.getOrCreateContext();
        Exchange exchange = new Exchange(RequestHead.of(request));
        request.response().putHeader("Audit-ID", exchange.id());
        ReviewCall call = null;
        RuntimeException invalid = null;
        try {
            call = ReviewCall.parse(request.method(), request.path(), request.params(), settings.defaultLimit(),
                    settings.maxLimit());
        } catch (GatewayException e) {
            invalid = e;
        } catch (RuntimeException e) { // e.g. a query Vert.x cannot decode
            invalid = GatewayException.badRequest("malformed query or path: " + Replies.shorten(e.getMessage()));
        }
        // the body is read from the start (nothing may be lost while the caller is authenticated), but looked at
        // only for an authenticated caller and a valid call
        Future<Buffer> body = call != null && call.hasBody() ? body(request) : Future.succeededFuture(Buffer.buffer());
        ReviewCall parsed = call;
        RuntimeException badRequest = invalid;
        Future<Answer> answer;
        try {
            answer = authenticate.apply(exchange)
                    .compose(v -> badRequest != null ? Future.failedFuture(badRequest) : body)
                    .compose(b -> answer(exchange.identity(), parsed, b));
        } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
        }
        answer.onComplete(ar -> context.runOnContext(v -> {
            if (ar.succeeded()) {
                Replies.json(request, ar.result().code(), ar.result().document());
            } else {
                Replies.end(request, status(exchange, ar.cause()));
            }
            if (!request.isEnded()) { // a body still arriving (too large) is discarded, for a while
                vertx.setTimer(DRAIN_MILLIS, t -> {
                    if (!request.isEnded()) {
                        cut(request);
                    }
                });
            }
        }));
        return true;
    }

    /** Stops reading a request: resets its HTTP/2 stream, or closes the HTTP/1.x connection. */
    private static void cut(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            request.response().reset();
        } else {
            request.connection().close();
        }
    }

    /** A document and its HTTP code. */
    private record Answer(int code, Map<String, Object> document) {
    }

    /**
     * The body, up to the bound; 413 as soon as it is larger (said or seen). The rest of a body that is too large is
     * discarded so that the client reads the 413, up to {@link #DRAIN_BYTES} (or {@link #DRAIN_MILLIS} after the
     * answer); then the request is cut off.
     */
    private Future<Buffer> body(HttpServerRequest request) {
        int max = settings.maxBodyBytes();
        Promise<Buffer> promise = Promise.promise();
        String length = request.getHeader("Content-Length");
        if (length != null && (!length.matches("\\d{1,18}") || Long.parseLong(length) > max)) {
            promise.fail(tooLarge()); // Netty has refused a malformed length already
        }
        Buffer buffer = Buffer.buffer();
        long[] seen = {0};
        request.handler(chunk -> {
            seen[0] += chunk.length();
            if (promise.future().isComplete()) {
                if (seen[0] > DRAIN_BYTES) {
                    cut(request);
                }
                return;
            }
            if (seen[0] > max) {
                promise.tryFail(tooLarge());
            } else {
                buffer.appendBuffer(chunk);
            }
        });
        request.endHandler(v -> promise.tryComplete(buffer));
        request.exceptionHandler(promise::tryFail);
        return promise.future();
    }

    private GatewayException tooLarge() {
        return new GatewayException(KubeStatus.of(413, "the body is larger than " + settings.maxBodyBytes()
                + " bytes (expected: a small JSON object)"));
    }

    private Future<Answer> answer(Identity identity, ReviewCall call, Buffer body) {
        Requester caller = Requester.of(identity);
        boolean reader = readers.admit(identity);
        return switch (call) {
            case ReviewCall.Listing l when l.kind() == ReviewCall.Kind.REVIEW ->
                    reviews.reviews(l.state(), settings.maxLimit()).map(all -> list("ReviewList", all.stream()
                            .filter(r -> reader || sees(r, caller)).limit(l.limit())
                            .map(r -> ReviewDocuments.review(r, mayApprove(r, caller))).toList()));
            case ReviewCall.Listing l -> reviews.grants(l.state(), settings.maxLimit()).map(all -> list("GrantList",
                    all.stream().filter(g -> reader || sees(g, caller)).limit(l.limit())
                            .map(g -> ReviewDocuments.grant(g, mayApprove(g, caller))).toList()));
            case ReviewCall.Show s when s.kind() == ReviewCall.Kind.REVIEW ->
                    visibleReview(s.id(), caller, reader)
                            .map(r -> ok(ReviewDocuments.review(r, mayApprove(r, caller))));
            case ReviewCall.Show s -> visibleGrant(s.id(), caller, reader)
                    .map(g -> ok(ReviewDocuments.grant(g, mayApprove(g, caller))));
            case ReviewCall.Act a when a.kind() == ReviewCall.Kind.REVIEW -> {
                String reason = ReviewBodies.reason(body);
                yield visibleReview(a.id(), caller, reader).compose(r -> act(a, caller, reason))
                        .map(r -> ok(ReviewDocuments.review(r, mayApprove(r, caller))));
            }
            case ReviewCall.Act a -> {
                String reason = ReviewBodies.reason(body);
                yield visibleGrant(a.id(), caller, reader).compose(g -> actOnGrant(a, caller, reason))
                        .map(g -> ok(ReviewDocuments.grant(g, mayApprove(g, caller))));
            }
            case ReviewCall.RequestGrant ignored -> {
                ReviewBodies.GrantRequest asked = ReviewBodies.grantRequest(body);
                yield reviews.requestGrant(caller, asked.scope(), asked.duration(), asked.reason())
                        .map(g -> new Answer(201, ReviewDocuments.grant(g, mayApprove(g, caller))));
            }
        };
    }

    private Future<Review> act(ReviewCall.Act call, Requester caller, String reason) {
        return switch (call.action()) {
            case APPROVE -> reviews.approve(call.id(), caller, reason);
            case DENY -> reviews.deny(call.id(), caller, reason);
            case CANCEL -> reviews.cancel(call.id(), caller, reason);
            case REVOKE -> Future.failedFuture(new IllegalStateException("reviews are not revoked"));
        };
    }

    private Future<Grant> actOnGrant(ReviewCall.Act call, Requester caller, String reason) {
        return switch (call.action()) {
            case APPROVE -> reviews.approveGrant(call.id(), caller, reason);
            case DENY -> reviews.denyGrant(call.id(), caller, reason);
            case CANCEL -> reviews.cancelGrant(call.id(), caller, reason);
            case REVOKE -> reviews.revokeGrant(call.id(), caller, reason);
        };
    }

    private Future<Review> visibleReview(String id, Requester caller, boolean reader) {
        return reviews.review(id).compose(found -> found.filter(r -> reader || sees(r, caller))
                .map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(notFound("review", id))));
    }

    private Future<Grant> visibleGrant(String id, Requester caller, boolean reader) {
        return reviews.grant(id).compose(found -> found.filter(g -> reader || sees(g, caller))
                .map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(notFound("grant", id))));
    }

    private boolean sees(Review review, Requester caller) {
        return review.requester().user().equals(caller.user()) || mayApprove(review, caller);
    }

    private boolean sees(Grant grant, Requester caller) {
        return grant.requester().user().equals(caller.user()) || mayApprove(grant, caller);
    }

    private boolean mayApprove(Review review, Requester caller) {
        return reviews.mayApprove(review.requirement(), caller);
    }

    private boolean mayApprove(Grant grant, Requester caller) {
        return reviews.mayApprove(grant.requirement(), caller);
    }

    private static Answer ok(Map<String, Object> document) {
        return new Answer(200, document);
    }

    private static Answer list(String kind, List<Map<String, Object>> items) {
        return ok(ReviewDocuments.list(kind, items));
    }

    /** The same words whether the id does not exist or the caller may not see it. */
    private static GatewayException notFound(String kind, String id) {
        return GatewayException.notFound(kind + " \"" + id + "\" not found");
    }

    private static KubeStatus status(Exchange exchange, Throwable error) {
        return switch (error) {
            case GatewayException ge -> ge.status();
            case ReviewException re -> KubeStatus.of(re.code(), re.getMessage());
            default -> {
                LOG.error("{} internal error in the reviews API", exchange.id(), error);
                yield KubeStatus.of(500, "internal error in the gateway (request " + exchange.id() + ")");
            }
        };
    }
}
