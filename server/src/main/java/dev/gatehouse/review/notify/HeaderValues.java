package dev.gatehouse.review.notify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A target's extra header values, file values read asynchronously (never on the caller's thread) and re-read
 * at most once a minute, so a rotated token is picked up. A file whose value holds a line break is an error
 * that names the header and the file, never the value.
 */
final class HeaderValues {
    private static final long REREAD_NANOS = 60_000_000_000L;

    private final Vertx vertx;
    private final List<WebhookHeader> headers;
    private final Map<String, Read> cache = new ConcurrentHashMap<>();

    private record Read(String value, long at) {
    }

    HeaderValues(Vertx vertx, List<WebhookHeader> headers) {
        this.vertx = vertx;
        this.headers = List.copyOf(headers);
    }

    /** The headers' names and current values, in configuration order. */
    Future<Map<String, String>> values() {
        List<Future<String>> reads = new ArrayList<>();
        for (WebhookHeader h : headers) {
            reads.add(h.value() != null ? Future.succeededFuture(h.value()) : read(h));
        }
        return Future.all(reads).map(all -> {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < headers.size(); i++) {
                values.put(headers.get(i).name(), all.resultAt(i));
            }
            return values;
        });
    }

    private Future<String> read(WebhookHeader h) {
        Read cached = cache.get(h.name());
        if (cached != null && System.nanoTime() - cached.at() < REREAD_NANOS) {
            return Future.succeededFuture(cached.value());
        }
        return vertx.fileSystem().readFile(h.file().toString())
                .recover(e -> Future.failedFuture(new HeaderFileException("headers." + h.name() + ".file: "
                        + h.file() + " cannot be read (expected: a readable file)", false)))
                .compose(buffer -> {
                    String value = buffer.toString(StandardCharsets.UTF_8).strip();
                    if (value.isEmpty() || !WebhookHeader.validValue(value)) {
                        return Future.failedFuture(new HeaderFileException("headers." + h.name() + ".file: " + h.file()
                                + " is empty or holds a line break or control character (expected: one line)", true));
                    }
                    cache.put(h.name(), new Read(value, System.nanoTime()));
                    return Future.succeededFuture(value);
                });
    }

    /** A header file that cannot be used; {@code permanent} when re-reading it soon would not help. */
    static final class HeaderFileException extends RuntimeException {
        final boolean permanent;

        HeaderFileException(String message, boolean permanent) {
            super(message, null, false, false);
            this.permanent = permanent;
        }
    }
}
