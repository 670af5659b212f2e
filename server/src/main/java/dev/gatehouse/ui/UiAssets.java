package dev.gatehouse.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.google.common.html.HtmlEscapers;
import io.vertx.core.buffer.Buffer;

/**
 * The UI's files, shipped in the jar under {@code ui/}: pages (HTML with {@code {{user}}} and {@code {{csrf}}}
 * filled in, HTML-escaped), scripts, styles and the vendored session player. Names are plain relative paths; anything
 * else (dots, slashes at the ends, other characters) is not found.
 */
final class UiAssets {
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+(/[a-z0-9-]+)*(\\.[a-z0-9]+)*\\.(js|css|html|txt|wasm)");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "html", "text/html; charset=utf-8", "txt", "text/plain; charset=utf-8",
            "wasm", "application/wasm");

    private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

    /** A file and its content type. */
    record Asset(String contentType, Buffer body) {
    }

    /** The file {@code name} (relative to {@code ui/}), or empty. */
    Optional<Asset> file(String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return bytes(name).map(b -> new Asset(TYPES.get(extension), Buffer.buffer(b)));
    }

    /** A page with the signed-in person's name and the session's CSRF token filled in. */
    Buffer page(String name, String user, String csrf) {
        String html = new String(bytes(name).orElseThrow(() -> new IllegalStateException("missing ui/" + name)),
                StandardCharsets.UTF_8);
        return Buffer.buffer(html.replace("{{user}}", escape(user)).replace("{{csrf}}", escape(csrf)));
    }

    /** A page with {@code {{message}}} filled in (HTML-escaped). */
    Buffer message(String name, String message) {
        String html = new String(bytes(name).orElseThrow(() -> new IllegalStateException("missing ui/" + name)),
                StandardCharsets.UTF_8);
        return Buffer.buffer(html.replace("{{message}}", escape(message)));
    }

    /** HTML text and attribute escaping ({@code & < > " '}), by Guava's {@code HtmlEscapers}; null is empty. */
    static String escape(String text) {
        return text == null ? "" : HtmlEscapers.htmlEscaper().escape(text);
    }

    private Optional<byte[]> bytes(String name) {
        return cache.computeIfAbsent(name, n -> {
            try (InputStream in = UiAssets.class.getResourceAsStream("/ui/" + n)) {
                return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
