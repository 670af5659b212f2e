package dev.gatehouse.chain;

import java.util.Map;

import dev.gatehouse.status.KubeStatus;
import io.vertx.core.Future;

/**
 * What the path needs of the evidence: one call per event, each future completing on the caller's Vert.x context once
 * the event is durable. The chain (for refusals), the forwarder's relay and the session bridge call this;
 * {@code record.Recorder} implements it, so none of them builds or appends events itself.
 */
public interface Evidence {
    /**
     * A long-running response started (a watch, a followed log, a session): {@code ResponseStarted}.
     *
     * @param details type-specific fields (a session's id and protocol), or null
     */
    Future<Void> started(Exchange exchange, Map<String, String> details);

    /**
     * The one completed event of a request the cluster answered ({@code ResponseComplete}).
     *
     * @param note    why it ended when it did not end by itself (the client left, the credential expired), or null
     * @param details type-specific fields (a session's recording digests), or null
     */
    Future<Void> completed(Exchange exchange, int code, long bytesIn, long bytesOut, String note,
                           Map<String, String> details);

    /** The one completed event of a request the gateway ended itself with {@code status} (a refusal). */
    Future<Void> refused(Exchange exchange, KubeStatus status, long bytesIn);
}
