package dev.gatehouse.listen;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Coalesces the flushes of an HTTP/2 connection that carries many streams: Netty's
 * {@link FlushConsolidationHandler} between the HTTP/2 codec and TLS, so the frames written by all the tasks of one
 * event-loop turn go out as one TLS record and one {@code send} instead of one per stream. On the client side this
 * merges the requests that one read of a client's connection forwards upstream; on the server side, the responses
 * whose evidence one commit made durable (each is written from its own task, where Vert.x flushes at once). A
 * flush is only deferred to the end of the loop's current turn, so watch events and log lines still go out as
 * they arrive.
 * <p>
 * HTTP/1.1 connections are left alone: they carry one response at a time, so there is nothing to merge.
 */
public final class FlushCoalescing {
    /** Flushes forced through while a read is in progress, as Netty's default. */
    private static final int FLUSH_AFTER = 256;
    private static final String NAME = "gatehouse-flush-coalescing";

    private FlushCoalescing() {
    }

    /** Installs the coalescing on {@code connection} when it is HTTP/2 over TLS; call on its event loop. */
    public static void install(HttpConnection connection) {
        if (connection.protocolVersion() != HttpVersion.HTTP_2 || !(connection instanceof ConnectionBase base)) {
            return;
        }
        ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
        if (pipeline.get(NAME) != null) {
            return;
        }
        for (var entry : pipeline) {
            ChannelHandler handler = entry.getValue();
            if (handler instanceof SslHandler) {
                pipeline.addAfter(entry.getKey(), NAME, new FlushConsolidationHandler(FLUSH_AFTER, true));
                return;
            }
        }
    }
}
