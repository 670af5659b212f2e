package dev.gatehouse.review.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * Posts one payload to one target with the Vert.x HTTP client, within a time limit from connect to the last
 * byte of the answer, and says what became of it. Never follows redirects. Failure messages name the target's
 * scheme, host and port, never its path, query or header values.
 */
final class WebhookPost {
    private final Vertx vertx;
    private final WebhookTarget target;
    private final long timeoutMs;
    private final HttpClientAgent client;
    private final HeaderValues headers;

    WebhookPost(Vertx vertx, WebhookTarget target, Duration timeout) {
        this.vertx = vertx;
        this.target = target;
        this.timeoutMs = Math.max(1, timeout.toMillis());
        HttpClientOptions options = new HttpClientOptions().setConnectTimeout((int) timeoutMs).setVerifyHost(true)
                .setForceSni(true);
        if (target.caFile() != null) {
            options.setTrustOptions(new PemTrustOptions().addCertPath(target.caFile().toString()));
        }
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(2));
        this.headers = new HeaderValues(vertx, target.headers());
    }

    /** Posts {@code body} with its delivery id; the future always succeeds, with the outcome. */
    Future<PostOutcome> post(byte[] body, String deliveryId) {
        return headers.values().transform(ar -> {
            if (ar.failed()) {
                boolean permanent = ar.cause() instanceof HeaderValues.HeaderFileException h && h.permanent;
                String why = ar.cause() instanceof HeaderValues.HeaderFileException ? ar.cause().getMessage()
                        : "a header file cannot be read";
                return Future.succeededFuture(permanent ? new PostOutcome.GiveUp(why) : new PostOutcome.Retry(why, null));
            }
            return send(body, deliveryId, ar.result());
        });
    }

    private Future<PostOutcome> send(byte[] body, String deliveryId, Map<String, String> extra) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(target.url().toString()).setConnectTimeout(timeoutMs).setIdleTimeout(timeoutMs)
                .setFollowRedirects(false)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("User-Agent", "gatehouse-review-notifier")
                .putHeader("X-Gatehouse-Notification-Id", headerSafe(deliveryId));
        extra.forEach(options::putHeader);
        Promise<PostOutcome> done = Promise.promise();
        AtomicReference<HttpClientRequest> inFlight = new AtomicReference<>();
        // One limit for the whole exchange: a receiver that accepts and then never answers, or answers and then
        // drips its body forever, is cut off (the request reset) when it runs out.
        long timer = vertx.setTimer(timeoutMs, t -> {
            done.tryComplete(new PostOutcome.Retry("no answer within " + Duration.ofMillis(timeoutMs), null));
            HttpClientRequest req = inFlight.get();
            if (req != null) {
                req.reset(0, new TimeoutException("notification post timed out"));
            }
        });
        client.request(options).compose(req -> {
            inFlight.set(req);
            return req.send(Buffer.buffer(body));
        }).onSuccess(resp -> {
            // The status decides; the body (unread) is drained in the background, within the same limit.
            done.tryComplete(classify(resp.statusCode(), resp.getHeader("Retry-After")));
            resp.exceptionHandler(cut -> { }); // a body cut off by the limit is expected, not an error to log
            resp.end().onComplete(ended -> vertx.cancelTimer(timer));
        }).onFailure(e -> {
            vertx.cancelTimer(timer);
            done.tryComplete(new PostOutcome.Retry(failure(e), null));
        });
        return done.future();
    }

    static PostOutcome classify(int status, String retryAfter) {
        if (status >= 200 && status < 300) {
            return new PostOutcome.Delivered(status);
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new PostOutcome.Retry("answered " + status, RetryPolicy.parseRetryAfter(retryAfter, Instant.now()));
        }
        if (status >= 300 && status < 400) {
            return new PostOutcome.GiveUp("answered " + status + " (redirects are not followed)");
        }
        return new PostOutcome.GiveUp("answered " + status);
    }

    /** A failure in words, with the URL's path and query (which may be the secret) taken out. */
    private String failure(Throwable cause) {
        String message = cause.getMessage() == null ? "" : cause.getMessage();
        for (String query : new String[] {target.url().getRawQuery(), target.url().getQuery()}) {
            if (query != null && !query.isEmpty()) {
                message = message.replace(query, "…");
            }
        }
        for (String path : new String[] {target.url().getRawPath(), target.url().getPath()}) {
            if (path != null && path.length() > 1) {
                message = message.replace(path, "/…");
            }
        }
        return cause.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + NoticeText.clean(message, 300));
    }

    /** Only {@code [A-Za-z0-9:._-]}, at most 200 characters: ids are that already; anything else cannot split. */
    static String headerSafe(String id) {
        String safe = id.replaceAll("[^A-Za-z0-9:._-]", "_");
        return safe.length() > 200 ? safe.substring(0, 200) : safe;
    }

    Future<Void> close() {
        return client.close();
    }
}
