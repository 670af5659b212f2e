package dev.gatehouse.forward;

import dev.gatehouse.chain.Exchange;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Rewrites a response body as it streams from the cluster to the client, chunk by chunk, never holding it whole: the
 * relay's slot for masking. {@link #IDENTITY} passes every chunk on as it is. One instance per response, used on its
 * event loop. A transform that cannot vouch for what it would send throws (any {@link RuntimeException}, with a
 * message that shows no body content): the relay then resets the response instead of sending bytes, and the audit
 * event's note says so.
 */
public interface BodyTransform {
    /** The bytes to send for this chunk (may be empty while the transform needs more input). */
    Buffer chunk(Buffer in);

    /** What is left to send once the cluster's body ended. */
    Buffer end();

    BodyTransform IDENTITY = new BodyTransform() {
        @Override
        public Buffer chunk(Buffer in) {
            return in;
        }

        @Override
        public Buffer end() {
            return Buffer.buffer();
        }
    };

    /** Chooses the transform of each response. */
    @FunctionalInterface
    interface Choice {
        /**
         * The transform of one response, chosen once the cluster's status and headers are known and before any byte
         * of it goes to the client.
         *
         * @param status  the cluster's status code
         * @param headers the response headers as they will go to the client; a choice whose transform changes the
         *                body's length or encoding removes {@code Content-Length} / {@code Content-Encoding} here
         * @throws dev.gatehouse.status.GatewayException to refuse the response: the client gets that Status instead
         *                                               and the body is dropped unread
         */
        BodyTransform of(Exchange exchange, int status, MultiMap headers);

        Choice NONE = (exchange, status, headers) -> IDENTITY;
    }
}
