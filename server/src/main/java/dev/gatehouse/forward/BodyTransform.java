package dev.gatehouse.forward;

import dev.gatehouse.chain.Exchange;
import io.vertx.core.buffer.Buffer;

/**
 * Rewrites a response body as it streams from the cluster to the client, chunk by chunk, never holding it whole: the
 * relay's slot for masking. {@link #IDENTITY} passes every chunk on as it is. One instance per response, used on its
 * event loop.
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
        BodyTransform of(Exchange exchange);

        Choice NONE = exchange -> IDENTITY;
    }
}
