package dev.gatehouse.review.notify;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import dev.gatehouse.config.WebhookUrls;
import dev.gatehouse.review.notify.ReviewNotice.Kind;

/**
 * One webhook that is told about reviews. Its URL often is the secret (a Slack incoming-webhook URL carries its
 * token in the path), so messages, logs and {@link #toString()} show only its scheme, host and port
 * ({@link #redactedUrl()}).
 *
 * @param name    the target's name: in logs and as the metrics tag ({@code [A-Za-z0-9][A-Za-z0-9._-]*}, ≤ 63)
 * @param url     https, or http only to a loopback address (127.0.0.0/8, ::1, localhost); no user info
 * @param format  the payload
 * @param caFile  PEM CAs trusted for the receiver's TLS, or null for the JVM's trust (https only)
 * @param headers extra headers, e.g. {@code Authorization} read from a file
 * @param events  the kinds sent; empty means all
 */
public record WebhookTarget(String name, URI url, WebhookFormat format, Path caFile, List<WebhookHeader> headers,
                            Set<Kind> events) {

    public WebhookTarget {
        WebhookUrls.checkName("reviews.notify[]", name);
        String key = "reviews.notify[" + name + "]";
        Objects.requireNonNull(url, key + ".url");
        Objects.requireNonNull(format, key + ".format");
        WebhookUrls.checkUrl(key, url);
        if (caFile != null && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException(key + ".caFile: set for " + WebhookUrls.redact(url)
                    + " (expected: only with an https url)");
        }
        if (caFile != null && !Files.isReadable(caFile)) {
            throw new IllegalArgumentException(key + ".caFile: " + caFile + " (expected: a readable PEM file)");
        }
        headers = List.copyOf(headers == null ? List.of() : headers);
        Set<String> seen = new HashSet<>();
        for (WebhookHeader h : headers) {
            if (!seen.add(h.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(key + ".headers." + h.name() + ": given twice (expected: once)");
            }
            if (h.file() != null && !Files.isReadable(h.file())) {
                throw new IllegalArgumentException(key + ".headers." + h.name() + ".file: " + h.file()
                        + " (expected: a readable file)");
            }
        }
        events = events == null || events.isEmpty() ? Set.copyOf(EnumSet.allOf(Kind.class)) : Set.copyOf(events);
    }

    /** A target for all events, without CA file or extra headers. */
    public static WebhookTarget of(String name, String url, WebhookFormat format) {
        return new WebhookTarget(name, parse("reviews.notify[" + name + "].url", url), format, null, List.of(),
                Set.of());
    }

    /** Parses a configured URL, failing with the key's name (and without echoing the URL's path or query). */
    public static URI parse(String key, String url) {
        return WebhookUrls.parse(key, url);
    }

    /** True when this target wants notices of {@code kind}. */
    public boolean wants(Kind kind) {
        return events.contains(kind);
    }

    /** The URL without path, query or user info: {@code https://hooks.slack.com:443/…}. */
    public String redactedUrl() {
        return WebhookUrls.redact(url);
    }

    @Override
    public String toString() {
        return "WebhookTarget[" + name + " " + format.wireName() + " " + redactedUrl() + "]";
    }
}
