package dev.gatehouse.classify;

import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.status.GatewayException;

/**
 * A {@code fieldSelector} read by the apiserver's rules (apimachinery {@code fields.ParseSelector}): terms split on
 * commas not escaped by a backslash, each {@code lhs op rhs} split at the first {@code !=}, {@code ==} or {@code =},
 * nothing trimmed, the value unescaped ({@code \\}, {@code \,}, {@code \=}; any other escape, and an unescaped
 * {@code ,} or {@code =}, is an error). Only what classification needs is kept: the value an exact
 * {@code metadata.name} term requires.
 */
final class FieldSelector {
    private FieldSelector() {
    }

    /**
     * The name an exact {@code metadata.name} term requires, or "" when none does; a selector the apiserver cannot
     * parse, or one that names {@code metadata.name} exactly more than once, is refused.
     */
    static String exactName(String selector) {
        String found = null;
        for (String term : terms(selector)) {
            if (term.isEmpty()) {
                continue;
            }
            int op = operator(term);
            if (op < 0) {
                throw invalid(selector);
            }
            boolean notEqual = term.startsWith("!=", op);
            int len = notEqual || term.startsWith("==", op) ? 2 : 1;
            String value = unescape(term.substring(op + len), selector);
            if (!notEqual && term.substring(0, op).equals("metadata.name")) {
                if (found != null) {
                    throw GatewayException.badRequest("field selector names metadata.name more than once");
                }
                found = value;
            }
        }
        return found == null ? "" : found;
    }

    private static List<String> terms(String selector) {
        List<String> terms = new ArrayList<>();
        int start = 0;
        boolean escaped = false;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == ',') {
                terms.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(selector.substring(start));
        return terms;
    }

    /** Where the first operator starts, or -1. */
    private static int operator(String term) {
        for (int i = 0; i < term.length(); i++) {
            char c = term.charAt(i);
            if (c == '=' || (c == '!' && term.startsWith("!=", i))) {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String value, String selector) {
        StringBuilder out = new StringBuilder(value.length());
        boolean escaped = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (escaped) {
                if (c != '\\' && c != ',' && c != '=') {
                    throw invalid(selector);
                }
                out.append(c);
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == ',' || c == '=') {
                throw invalid(selector);
            } else {
                out.append(c);
            }
        }
        if (escaped) {
            throw invalid(selector);
        }
        return out.toString();
    }

    private static GatewayException invalid(String selector) {
        return GatewayException.badRequest("invalid field selector: '" + PathGuard.printable(selector)
                + "' (expected: comma-separated field=value, field==value or field!=value terms)");
    }
}
