package dev.gatehouse.listen;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetSocket;

/**
 * Takes over the connection of an HTTP/1.1 upgrade request, answering {@code 101 Switching Protocols} with the
 * headers set on the response. Vert.x 5's {@link HttpServerRequest#toNetSocket()} does this only for {@code CONNECT}
 * and for a {@code GET} upgrade, while kubectl's SPDY upgrade is a {@code POST}; so the upgrade is asked of the
 * HTTP/1.x response's own (package-private) {@code netSocket(method, headers)} as if it were a {@code GET}, which
 * writes the same 101 and hands over the same socket. A Vert.x without that method fails the request loudly
 * ({@code RawUpgradeTest} holds the Vert.x in use to it). The gateway's session bridge and the sandbox both use it.
 */
public final class RawUpgrade {
    private RawUpgrade() {
    }

    @SuppressWarnings("unchecked")
    public static Future<NetSocket> toNetSocket(HttpServerRequest request) {
        if (request.method() == HttpMethod.GET) {
            return request.toNetSocket();
        }
        HttpServerResponse response = request.response();
        try {
            Method netSocket = response.getClass().getDeclaredMethod("netSocket", HttpMethod.class, MultiMap.class);
            netSocket.setAccessible(true);
            return (Future<NetSocket>) netSocket.invoke(response, HttpMethod.GET, request.headers());
        } catch (NoSuchMethodException | IllegalAccessException | RuntimeException e) {
            throw new IllegalStateException("cannot upgrade a " + request.method() + " request with this Vert.x ("
                    + response.getClass().getName() + "): " + e, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("upgrade failed: " + e.getCause(), e.getCause());
        }
    }
}
