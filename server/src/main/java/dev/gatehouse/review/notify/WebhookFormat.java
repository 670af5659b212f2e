package dev.gatehouse.review.notify;

import java.util.Locale;

/** The payload a webhook receives. */
public enum WebhookFormat {
    /** A Slack incoming-webhook message: {@code {"text": …, "blocks": […]}} with mrkdwn. */
    SLACK,
    /** The generic {@code gatehouse.dev/v1 ReviewNotification} JSON document. */
    JSON;

    /** The payload for one notice, UTF-8 JSON. */
    byte[] render(ReviewNotice notice) {
        return this == SLACK ? SlackMessage.render(notice) : NotificationJson.render(notice);
    }

    /** The name in configuration: {@code slack} or {@code json}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format with this configuration name. */
    public static WebhookFormat fromWireName(String wire) {
        for (WebhookFormat f : values()) {
            if (f.wireName().equals(wire)) {
                return f;
            }
        }
        throw new IllegalArgumentException("format: '" + wire + "' (expected: slack or json)");
    }
}
