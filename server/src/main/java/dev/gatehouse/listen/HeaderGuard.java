package dev.gatehouse.listen;

import java.util.Locale;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.classify.Upgrade;
import dev.gatehouse.chain.Stage;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

/**
 * Refuses requests that try to carry an identity of their own or that the gateway cannot yet record:
 * any {@code Impersonate-*} header (any case, any count, HTTP/1.1 or HTTP/2) is refused with 403 — the
 * gateway only ever narrows identity, never lets a client choose one — and protocol upgrades other than the exec,
 * attach and port-forward sessions the bridge records ({@link Upgrade}). Headers the apiserver's front-proxy
 * authentication reads ({@code X-Remote-*}) are refused too.
 */
public final class HeaderGuard implements Stage {

    @Override
    public Future<Void> apply(Exchange exchange) {
        MultiMap headers = exchange.head().headers();
        for (String name : headers.names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("impersonate-")) {
                return Future.failedFuture(GatewayException.forbidden("impersonation headers are not accepted by "
                        + "Gatehouse (header " + name + "): requests are made as the authenticated user"));
            }
            if (lower.startsWith("x-remote-")) {
                return Future.failedFuture(GatewayException.forbidden("header " + name + " is not accepted: "
                        + "identity comes only from the authenticated credential"));
            }
        }
        try {
            exchange.upgrade(Upgrade.of(exchange.head().method(), headers, exchange.head().http2(), exchange.info()));
        } catch (GatewayException refused) {
            return Future.failedFuture(refused);
        }
        return Future.succeededFuture();
    }
}
