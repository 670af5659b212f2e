package dev.gatehouse.chain;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Reads a request's whole body ahead of forwarding, bounded, for the stages that must see it (a policy rule over
 * the object; a request held for review, whose exact bytes are released later). Everything else streams.
 */
@FunctionalInterface
public interface BodyReader {

    /**
     * The body, once the client has sent all of it; fails with a 413 {@link dev.gatehouse.status.GatewayException}
     * when it is longer than {@code maxBytes} (the rest is then discarded), or with the connection's error.
     */
    Future<Buffer> read(int maxBytes);

    /** Reads the body once: later calls, from any stage, get the same bytes (stored on the exchange). */
    static Future<Buffer> readOnce(Exchange exchange, int maxBytes) {
        if (exchange.body() != null) {
            return Future.succeededFuture(exchange.body());
        }
        return exchange.bodyReader().read(maxBytes).map(body -> {
            exchange.body(body);
            return body;
        });
    }
}
