package dev.gatehouse.review.notify;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * An extra header sent with every post, its value read from a file (an {@code Authorization} token) — or given
 * inline for values that are not secret. File values are re-read at most once a minute and trimmed of
 * surrounding whitespace; a value holding a line break is refused. Values never appear in logs, messages or
 * {@link #toString()}.
 *
 * @param name  the header name (an HTTP token; not one the client sets itself)
 * @param file  the file holding the value, or null when {@code value} is given
 * @param value the inline value, or null when {@code file} is given
 */
public record WebhookHeader(String name, Path file, String value) {
    private static final Set<String> RESERVED = Set.of("host", "content-length", "content-type",
            "transfer-encoding", "connection", "upgrade", "te", "trailer", "keep-alive", "expect", "user-agent",
            "x-gatehouse-notification-id");

    public WebhookHeader {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")) {
            throw new IllegalArgumentException("headers: '" + NoticeText.clean(name, 64)
                    + "' (expected: an HTTP header name)");
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("headers." + name + ": set by the gateway itself (expected: another "
                    + "header, e.g. Authorization)");
        }
        if ((file == null) == (value == null)) {
            throw new IllegalArgumentException("headers." + name + ": expected exactly one of file or value");
        }
        if (value != null && !validValue(value)) {
            throw new IllegalArgumentException("headers." + name + ": the value holds a line break or control "
                    + "character (expected: one line of text)");
        }
    }

    /** A header whose value is read from {@code file}. */
    public static WebhookHeader fromFile(String name, Path file) {
        return new WebhookHeader(name, Objects.requireNonNull(file, "file"), null);
    }

    /** A header with an inline value. */
    public static WebhookHeader of(String name, String value) {
        return new WebhookHeader(name, null, Objects.requireNonNull(value, "value"));
    }

    /** True for a value that can go on the wire as is: no control characters besides tab. */
    static boolean validValue(String v) {
        return v.chars().noneMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f);
    }

    @Override
    public String toString() {
        return "WebhookHeader[" + name + (file != null ? " from " + file : " (inline)") + "]";
    }
}
