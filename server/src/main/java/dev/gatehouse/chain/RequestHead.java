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
 * @param authority  the HTTP/2 {@code :authority} pseudo-header as received, or null (HTTP/1.x carries it in the
 *                   {@code Host} header of {@code headers})
 * @param serverName the TLS server name (SNI) the client sent on this connection, or null when it sent none
 * @param originForm false when the request target was not a path (an absolute-form {@code https://host/path}
 *                   or {@code *}), which the gateway refuses rather than choose between it and {@code Host}
 */
public record RequestHead(String method, String rawPath, String rawQuery, MultiMap headers, String remoteIp,
                          boolean http2, String authority, String serverName, boolean originForm) {
    public RequestHead {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        rawQuery = rawQuery == null ? "" : rawQuery;
        Objects.requireNonNull(headers, "headers");
        remoteIp = remoteIp == null ? "" : remoteIp;
    }

    /** A request in origin form with no {@code :authority} and no SNI (tests, internal callers). */
    public RequestHead(String method, String rawPath, String rawQuery, MultiMap headers, String remoteIp,
                       boolean http2) {
        this(method, rawPath, rawQuery, headers, remoteIp, http2, null, null, true);
    }

    /** The head of a request as it arrived on the socket. */
    public static RequestHead of(HttpServerRequest request) {
        String remote = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
        boolean http2 = request.version() == HttpVersion.HTTP_2;
        String authority = null;
        if (http2 && request.authority() != null) {
            authority = request.authority().toString();
        }
        String uri = request.uri();
        return new RequestHead(request.method().name(), request.path(), request.query(), request.headers(), remote,
                http2, authority, request.connection().indicatedServerName(), uri != null && uri.startsWith("/"));
    }

    /** The request URI as the audit log shows it: path plus query. */
    public String requestUri() {
        return rawQuery.isEmpty() ? rawPath : rawPath + "?" + rawQuery;
    }
}
