package dev.gatehouse.chain;

import io.vertx.core.Future;

/**
 * One step of the request path. A stage either passes the exchange on (its future succeeds) or ends it
 * (its future fails with a {@link dev.gatehouse.status.GatewayException} carrying the Status to send).
 * Stages run on the request's event loop and must not block it.
 */
@FunctionalInterface
public interface Stage {
    Future<Void> apply(Exchange exchange);
}
