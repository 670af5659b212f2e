package dev.gatehouse.forward;

import java.time.Duration;
import java.util.Map;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * {@code GET /version} of a cluster through its pooled client, as the gateway itself (its own credential, no
 * impersonation): 200 with a {@code /version} document of at most {@value #MAX_BYTES} bytes, within the timeout,
 * or the fetch fails. Runs on the caller's Vert.x context.
 */
final class UpstreamVersionSource implements ClusterVersions.VersionSource {
    static final int MAX_BYTES = 64 * 1024;

    private final Map<String, Upstream> upstreams;
    private final Duration timeout;

    UpstreamVersionSource(Map<String, Upstream> upstreams, Duration timeout) {
        this.upstreams = Map.copyOf(upstreams);
        this.timeout = timeout;
    }

    @Override
    public Future<ClusterVersion> fetch(String cluster) {
        Upstream upstream = upstreams.get(cluster);
        if (upstream == null) {
            return Future.failedFuture(new IllegalArgumentException("no cluster \"" + cluster + "\" (known: "
                    + upstreams.keySet().stream().sorted().toList() + ")"));
        }
        MultiMap headers = HttpHeaders.headers().set(HttpHeaders.ACCEPT, "application/json");
        String token = upstream.credential().bearerToken();
        if (token != null) {
            headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setAbsoluteURI(upstream.uri("/version", "")).setHeaders(headers)
                .setIdleTimeout(timeout.toMillis());
        return upstream.client().request(options)
                .compose(request -> request.send())
                .compose(UpstreamVersionSource::body)
                .map(body -> ClusterVersion.parse(body.getBytes()).orElseThrow(() -> new IllegalStateException(
                        "GET /version answered no version (expected: JSON with major and minor as digits)")))
                .timeout(timeout);
    }

    private static Future<Buffer> body(HttpClientResponse response) {
        if (response.statusCode() != 200) {
            response.exceptionHandler(ignored -> { }); // the reset below is ours, not an error to log
            response.request().reset();
            return Future.failedFuture(new IllegalStateException("GET /version answered HTTP "
                    + response.statusCode() + " (expected: 200)"));
        }
        Promise<Buffer> done = Promise.promise();
        Buffer body = Buffer.buffer();
        response.exceptionHandler(done::tryFail);
        response.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BYTES) {
                response.request().reset();
                done.tryFail(new IllegalStateException("GET /version answered more than " + MAX_BYTES + " bytes"));
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.endHandler(v -> done.tryComplete(body));
        return done.future();
    }
}
