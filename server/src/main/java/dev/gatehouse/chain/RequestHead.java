package dev.gatehouse.chain;

import java.util.Objects;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * What the gateway knows of a request before reading its body: enough for every stage up to forwarding,
 * and cheap to build in tests without a socket.
 *
 * @param method     the HTTP method, upper case
 * @param rawPath    the path exactly as received, not decoded
 * @param rawQuery   the query exactly as received, without '?', empty when none
 * @param headers    the request headers (case-insensitive)
 * @param remoteIp   the peer's IP address as seen on the socket (never taken from X-Forwarded-For)
 * @param http2      true when the request came over HTTP/2
 */
public record RequestHead(String method, String rawPath, String rawQuery, MultiMap headers, String remoteIp,
                          boolean http2) {
    public RequestHead {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        rawQuery = rawQuery == null ? "" : rawQuery;
        Objects.requireNonNull(headers, "headers");
        remoteIp = remoteIp == null ? "" : remoteIp;
    }

    /** The head of a request as it arrived on the socket. */
    public static RequestHead of(HttpServerRequest request) {
        String remote = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
        return new RequestHead(request.method().name(), request.path(), request.query(), request.headers(), remote,
                request.version() == HttpVersion.HTTP_2);
    }

    /** The request URI as the audit log shows it: path plus query. */
    public String requestUri() {
        return rawQuery.isEmpty() ? rawPath : rawPath + "?" + rawQuery;
    }
}
