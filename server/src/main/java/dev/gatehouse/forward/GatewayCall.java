package dev.gatehouse.forward;

import java.time.Duration;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * A request the gateway makes to a cluster as itself — its own credential, no impersonation — through the
 * cluster's pooled client: {@code GET /version}, TokenReviews. The answer must be 2xx with a body of at most
 * {@code maxBytes}, within the timeout, else the future fails ({@link Refused} for a non-2xx status). Runs on the
 * caller's Vert.x context.
 */
final class GatewayCall {
    private GatewayCall() {
    }

    /** The cluster answered with a status other than 2xx. */
    static final class Refused extends IllegalStateException {
        final int status;

        Refused(String what, int status) {
            super(what + " answered HTTP " + status + " (expected: 2xx)");
            this.status = status;
        }
    }

    /** Sends {@code method path} with a JSON {@code body} (null: none) and returns the answer's body. */
    static Future<Buffer> send(Upstream upstream, HttpMethod method, String path, byte[] body, int maxBytes,
                               Duration timeout) {
        String what = method.name() + " " + path;
        MultiMap headers = HttpHeaders.headers().set(HttpHeaders.ACCEPT, "application/json");
        String token = upstream.credential().bearerToken();
        if (token != null) {
            headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        if (body != null) {
            headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(upstream.uri(path, ""))
                .setHeaders(headers).setIdleTimeout(timeout.toMillis());
        return upstream.client().request(options)
                .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
                .compose(response -> read(what, response, maxBytes))
                .timeout(timeout);
    }

    private static Future<Buffer> read(String what, HttpClientResponse response, int maxBytes) {
        if (response.statusCode() / 100 != 2) {
            response.exceptionHandler(ignored -> { }); // the reset below is ours, not an error to log
            response.request().reset();
            return Future.failedFuture(new Refused(what, response.statusCode()));
        }
        Promise<Buffer> done = Promise.promise();
        Buffer answer = Buffer.buffer();
        response.exceptionHandler(done::tryFail);
        response.handler(chunk -> {
            if (answer.length() + chunk.length() > maxBytes) {
                response.request().reset();
                done.tryFail(new IllegalStateException(what + " answered more than " + maxBytes + " bytes"));
            } else {
                answer.appendBuffer(chunk);
            }
        });
        response.endHandler(v -> done.tryComplete(answer));
        return done.future();
    }
}
