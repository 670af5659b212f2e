package dev.gatehouse.review.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.review.Requester;

/**
 * A Slack incoming-webhook message ({@code {"text": …, "blocks": […]}}, mrkdwn) for a notice: who asks, what
 * (kubectl words), the rule, the reason, approvals n/N, who may approve and the command that approves; a
 * break-glass self-approval is flagged with {@code :rotating_light: BREAK-GLASS}.
 *
 * <p>Nothing a requester typed can mention a channel, link or format: every such string has Slack's
 * {@code & < >} escaped and its control characters replaced; names and descriptions sit in inline code, whose
 * backticks are replaced; reasons go in {@code plain_text} objects, which Slack does not parse as mrkdwn.
 */
final class SlackMessage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALARM = ":rotating_light: BREAK-GLASS";
    /** Slack's limit for a header block's text. */
    private static final int HEADER_MAX = 150;

    private SlackMessage() {
    }

    static byte[] render(ReviewNotice n) {
        ObjectNode root = JSON.createObjectNode();
        root.put("text", fallback(n));
        ArrayNode blocks = root.putArray("blocks");
        blocks.addObject().put("type", "header").set("text",
                plain(NoticeText.clean(NoticeText.headline(n) + ": " + NoticeText.what(n), HEADER_MAX)));
        if (n.anyBreakGlass()) {
            section(blocks, mrkdwn(ALARM + " — *self-approved by a break-glass member*: "
                    + code(who(n.actor() != null ? n.actor() : requester(n)))));
        }
        ObjectNode facts = blocks.addObject().put("type", "section");
        ArrayNode fields = facts.putArray("fields");
        fields.add(mrkdwn("*Requester*\n" + code(who(requester(n)))));
        fields.add(mrkdwn("*What*\n" + code(NoticeText.what(n))));
        if (n.review() != null) {
            fields.add(mrkdwn("*Rule*\n" + code(n.review().rule())));
        }
        fields.add(mrkdwn("*Approvals*\n" + NoticeText.approvals(n)));
        fields.add(mrkdwn("*Who may approve*\n" + code(NoticeText.approvers(NoticeText.requirement(n)))));
        fields.add(mrkdwn("*Id*\n" + code(n.subjectId())));
        if (NoticeText.awaitingReviewers(n)) {
            fields.add(mrkdwn("*Expires*\n" + (n.review() != null ? n.review().expires() : n.grant().expires())));
        }
        String requestReason = n.review() != null ? n.review().reason() : n.grant().reason();
        section(blocks, plain("Reason: " + orNone(requestReason)));
        if (n.actor() != null && !n.kind().name().endsWith("REQUESTED") && n.kind() != ReviewNotice.Kind.CREATED) {
            section(blocks, plain(NoticeText.clean(n.kind().wireName() + " by " + n.actor().user(),
                    NoticeText.MAX_NAME) + ": " + orNone(n.reason())));
        }
        if (NoticeText.awaitingReviewers(n)) {
            section(blocks, mrkdwn("Approve: " + code(NoticeText.approveCommand(n)) + "\nDeny: "
                    + code(NoticeText.denyCommand(n))));
        }
        if (!n.gatewayUrl().isEmpty()) {
            blocks.addObject().put("type", "context").putArray("elements")
                    .add(mrkdwn("Gatehouse " + code(NoticeText.clean(n.gatewayUrl(), NoticeText.MAX_NAME))));
        }
        return root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The notification's one line: also what clients show where blocks are not rendered. */
    private static String fallback(ReviewNotice n) {
        String alarm = n.anyBreakGlass() ? ALARM + " " : "";
        String line = NoticeText.headline(n) + " " + n.subjectId() + ": " + requester(n).user() + " — "
                + NoticeText.what(n) + " (approvals " + NoticeText.approvals(n) + ")";
        String approve = NoticeText.awaitingReviewers(n) ? " — approve: " + NoticeText.approveCommand(n) : "";
        return alarm + escape(NoticeText.clean(line + approve, NoticeText.MAX_TEXT));
    }

    private static Requester requester(ReviewNotice n) {
        return n.review() != null ? n.review().requester() : n.grant().requester();
    }

    private static String who(Requester r) {
        String chain = r.actorChain().isEmpty() ? "" : " (via " + String.join(" → ", r.actorChain()) + ")";
        return r.user() + chain;
    }

    private static String orNone(String reason) {
        return reason.isEmpty() ? "(none given)" : NoticeText.clean(reason, NoticeText.MAX_TEXT);
    }

    private static void section(ArrayNode blocks, ObjectNode text) {
        blocks.addObject().put("type", "section").set("text", text);
    }

    private static ObjectNode plain(String text) {
        return JSON.createObjectNode().put("type", "plain_text").put("text", escape(text)).put("emoji", false);
    }

    private static ObjectNode mrkdwn(String text) {
        return JSON.createObjectNode().put("type", "mrkdwn").put("text", text);
    }

    /** Inline code of cleaned, escaped text: no formatting, mention or link inside. */
    static String code(String s) {
        String text = escape(NoticeText.clean(s, NoticeText.MAX_NAME)).replace('`', '\'');
        return text.isEmpty() ? "-" : "`" + text + "`";
    }

    /** Slack's escaping of control sequences: {@code &}, {@code <}, {@code >}. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
