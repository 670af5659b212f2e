package dev.gatehouse.sandbox.http;

import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.Json;
import dev.gatehouse.sandbox.resource.ResourceType;
import dev.gatehouse.sandbox.store.ObjectStore;
import dev.gatehouse.sandbox.store.Selector;
import dev.gatehouse.sandbox.store.WatchEvent;

/**
 * Streaming watch over plain HTTP, as kubectl and client-go use it: a chunked {@code application/json} response
 * with one {@code {"type":...,"object":...}} event per line, written as each change is stored. Objects come as
 * Tables when the Accept header asks for them ({@code kubectl get -w}). The stream ends after
 * {@code timeoutSeconds} (default 30 minutes) or when the client goes away; a start too far in the past gets an
 * ERROR event with a 410 Expired Status.
 */
final class WatchHandler {
    private static final long DEFAULT_TIMEOUT_SECONDS = 1800;

    private final Vertx vertx;
    private final ObjectStore store;
    private final Renderer renderer;

    WatchHandler(Vertx vertx, ObjectStore store, Renderer renderer) {
        this.vertx = vertx;
        this.store = store;
        this.renderer = renderer;
    }

    void handle(Exchange ex, RequestInfo info, ResourceType type) {
        String ns = ResourceHandler.namespaceOf(info, type);
        Selector selector = ResourceHandler.selector(ex);
        if (!info.name().isEmpty()) { // the legacy /watch/.../NAME form
            String byName = "metadata.name=" + info.name();
            String fields = ex.param("fieldSelector");
            selector = Selector.of(ex.param("labelSelector"), fields == null ? byName : fields + "," + byName);
        }
        Representation representation = Representation.negotiate(ex.header("Accept"));
        String includeObject = ex.param("includeObject");
        HttpServerResponse response = ex.response(200, Exchange.JSON);
        response.setChunked(true);
        response.writeHead();
        Context context = vertx.getOrCreateContext();
        AtomicBoolean open = new AtomicBoolean(true);
        ObjectStore.Subscription subscription;
        try {
            subscription = store.watch(type, ns, selector, ex.param("resourceVersion"), event ->
                    context.runOnContext(v -> {
                        if (open.get()) {
                            response.write(Buffer.buffer(Json.bytes(event(event, type, representation,
                                    includeObject))).appendString("\n"));
                        }
                    }));
        } catch (ApiException e) {
            ObjectNode error = Json.object().put("type", "ERROR");
            error.set("object", e.toStatus());
            response.end(Buffer.buffer(Json.bytes(error)).appendString("\n"));
            return;
        }
        long timeout = timeoutSeconds(ex.param("timeoutSeconds"));
        long timer = vertx.setTimer(timeout * 1000, id -> {
            if (open.getAndSet(false)) {
                subscription.cancel();
                response.end();
            }
        });
        Runnable close = () -> {
            if (open.getAndSet(false)) {
                subscription.cancel();
                vertx.cancelTimer(timer);
            }
        };
        response.closeHandler(v -> close.run());
        response.exceptionHandler(t -> close.run());
    }

    private ObjectNode event(WatchEvent event, ResourceType type, Representation representation,
                             String includeObject) {
        ObjectNode out = Json.object().put("type", event.type());
        out.set("object", renderer.object(type, event.object(), representation, includeObject));
        return out;
    }

    private static long timeoutSeconds(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_TIMEOUT_SECONDS;
        }
        try {
            long seconds = Long.parseLong(value);
            return seconds <= 0 ? DEFAULT_TIMEOUT_SECONDS : seconds;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("timeoutSeconds: " + value + " (expected: an integer)");
        }
    }
}
