package dev.gatehouse.review.notify;

import java.util.List;

import dev.gatehouse.policy.ReviewRequirement;
import dev.gatehouse.review.Grant;
import dev.gatehouse.review.HeldRequest;
import dev.gatehouse.review.ReviewState;
import dev.gatehouse.review.Verdict;

/**
 * The words both payload formats share: what is asked in kubectl's terms, approvals so far, who may approve and
 * the command that approves. Text from requesters (reasons, names, paths) is {@linkplain #clean cleaned} of
 * control and direction-changing characters and clipped, so a receiver shows what was typed, not what it does.
 */
final class NoticeText {
    /** The longest reason or free text a payload carries, in characters. */
    static final int MAX_TEXT = 1000;
    /** The longest name, path or description a payload carries, in characters. */
    static final int MAX_NAME = 300;

    private NoticeText() {
    }

    /**
     * Replaces control characters (C0, DEL, C1), line and paragraph separators and bidirectional overrides with
     * U+FFFD — tab, CR and LF with a space — and clips to {@code max} characters with an ellipsis.
     */
    static String clean(String s, int max) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), max + 1));
        for (int i = 0; i < s.length() && out.length() < max; i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == '\r' || c == '\n') {
                out.append(' ');
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                    || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                    || c == '\u200e' || c == '\u200f' || c == '\u061c') {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        if (out.length() >= max && s.length() > max) {
            out.setLength(max - 1);
            out.append('…');
        }
        return out.toString();
    }

    /** kubectl-like words for the held request, without the query string: "delete namespaces x on prod". */
    static String describe(HeldRequest r) {
        int q = r.uri().indexOf('?');
        HeldRequest pathOnly = q < 0 ? r : new HeldRequest(r.auditId(), r.cluster(), r.method(),
                r.uri().substring(0, q), r.verb(), r.apiGroup(), r.resource(), r.subresource(), r.namespace(),
                r.name(), "", 0, r.fingerprint());
        return clean(pathOnly.describe(), MAX_NAME);
    }

    /** The grant's scope in words: "delete, get namespaces, pods in x, y on prod for PT2H". */
    static String describe(Grant grant) {
        Grant.Scope s = grant.scope();
        String where = s.namespaces().isEmpty() ? "" : " in " + String.join(", ", s.namespaces());
        return clean(String.join(", ", s.verbs()) + " " + String.join(", ", s.resources()) + where
                + (s.cluster().isEmpty() ? "" : " on " + s.cluster()) + " for " + grant.duration(), MAX_NAME);
    }

    /** Distinct approvers so far over those needed: "1/2". */
    static String approvals(ReviewNotice n) {
        List<Verdict> verdicts = n.review() != null ? n.review().verdicts() : n.grant().verdicts();
        long have = verdicts.stream().filter(Verdict::approve).map(v -> v.reviewer().user()).distinct().count();
        return have + "/" + requirement(n).approvals();
    }

    static ReviewRequirement requirement(ReviewNotice n) {
        return n.review() != null ? n.review().requirement() : n.grant().requirement();
    }

    static ReviewState state(ReviewNotice n) {
        return n.review() != null ? n.review().state() : n.grant().state();
    }

    /** Who may approve ({@link ReviewRequirement#approversInWords()}), bounded for a notice. */
    static String approvers(ReviewRequirement r) {
        return clean(r.approversInWords(), MAX_NAME);
    }

    /** The command that approves: {@code gatehouse reviews approve r-…} or {@code gatehouse grants approve g-…}. */
    static String approveCommand(ReviewNotice n) {
        return command(n, "approve");
    }

    /** The command that denies. */
    static String denyCommand(ReviewNotice n) {
        return command(n, "deny");
    }

    private static String command(ReviewNotice n, String verb) {
        String reason = requirement(n).reasonRequired() ? " --reason '…'" : "";
        return "gatehouse " + (n.kind().aboutGrant() ? "grants " : "reviews ") + verb + " "
                + clean(n.subjectId(), MAX_NAME) + reason;
    }

    /** True while reviewers can still act: the subject is pending. */
    static boolean awaitingReviewers(ReviewNotice n) {
        return state(n) == ReviewState.PENDING;
    }

    /** A short past-tense phrase for the kind: "requested review", "approved", "revoked the grant". */
    static String headline(ReviewNotice n) {
        return switch (n.kind()) {
            case CREATED -> "Review requested";
            case APPROVED -> state(n) == ReviewState.PENDING ? "Review approval added" : "Review approved";
            case DENIED -> "Review denied";
            case EXPIRED -> "Review expired";
            case CANCELLED -> "Review cancelled";
            case GRANT_REQUESTED -> "Grant requested";
            case GRANT_APPROVED -> state(n) == ReviewState.PENDING ? "Grant approval added" : "Grant approved";
            case GRANT_DENIED -> "Grant denied";
            case GRANT_REVOKED -> "Grant revoked";
            case GRANT_EXPIRED -> "Grant expired";
        };
    }

    /** What the notice is about in words: the held request or the grant's scope. */
    static String what(ReviewNotice n) {
        return n.review() != null ? describe(n.review().request()) : describe(n.grant());
    }
}
