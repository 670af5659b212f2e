package dev.gatehouse.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * The rules for a webhook's name and URL ({@code reviews.notify[]}), kept once for the config loader and for
 * {@code review.notify.WebhookTarget}. A webhook URL often is the secret (a Slack incoming-webhook URL carries its
 * token in the path), so no message ever echoes its path or query: {@link #redact(URI)}.
 */
public final class WebhookUrls {
    private WebhookUrls() {
    }

    /**
     * Checks a configured target's name and URL.
     *
     * @param key the entry's key in messages, e.g. {@code reviews.notify[0]}
     * @return the parsed URL
     * @throws IllegalArgumentException naming {@code key} and what was expected
     */
    public static URI validate(String key, String name, String url) {
        checkName(key, name);
        URI parsed = parse(key + ".url", url);
        checkUrl(key, parsed);
        return parsed;
    }

    /** A name: letters, digits, '.', '_' or '-', starting with a letter or digit, at most 63. */
    public static void checkName(String key, String name) {
        Objects.requireNonNull(name, key + ".name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException(key + ".name: '" + printable(name, 64)
                    + "' (expected: letters, digits, '.', '_' or '-', at most 63)");
        }
    }

    /** Parses a configured URL, failing with the key's name (and without echoing the URL's path or query). */
    public static URI parse(String key, String url) {
        try {
            return new URI(Objects.requireNonNull(url, key));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + ": not a URL (expected: https://host/path)");
        }
    }

    /** An absolute https URL, or http to a loopback address; no user info, no fragment. */
    public static void checkUrl(String key, URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || url.isOpaque() || url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException(key + ".url: " + redact(url) + " (expected: https://host/path)");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException(key + ".url: " + redact(url) + " carries user info (expected: no "
                    + "credentials in the URL; send them as a header from a file)");
        }
        if (url.getRawFragment() != null) {
            throw new IllegalArgumentException(key + ".url: " + redact(url) + " has a fragment (expected: none)");
        }
        if (scheme.equals("http") && !LoopbackHosts.isLoopback(url.getHost())) {
            throw new IllegalArgumentException(key + ".url: " + redact(url) + " is plain http to a host that is not "
                    + "loopback (expected: https, or http only to 127.0.0.1, ::1 or localhost)");
        }
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException(key + ".url: scheme '" + printable(scheme, 16)
                    + "' (expected: https, or http only to a loopback address)");
        }
    }

    /** The URL without path, query or user info: {@code https://hooks.slack.com:443/…}. */
    public static String redact(URI url) {
        String scheme = url.getScheme() == null ? "" : printable(url.getScheme(), 16) + "://";
        String host = url.getHost() == null ? "?" : printable(url.getHost(), 253);
        return scheme + host + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/…";
    }

    /** At most {@code max} characters, anything but printable ASCII as U+FFFD: safe in a log line. */
    private static String printable(String s, int max) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && out.length() < max; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '\uFFFD');
        }
        return out.toString();
    }
}
