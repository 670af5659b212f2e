package dev.gatehouse.policy;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Durations as a policy writes them: {@code 90s}, {@code 10m}, {@code 2h}, {@code 1h30m}, {@code 1d}, {@code 500ms};
 * ISO-8601 ({@code PT4H}, as in the gateway's config) is accepted too.
 */
final class PolicyDurations {
    /** The longest duration a policy may name (a year): a typo in units should not hold a review for ever. */
    static final Duration MAX = Duration.ofDays(366);

    private PolicyDurations() {
    }

    /** The duration {@code text} means, or null when it is not one (or is not between 0 exclusive and {@link #MAX}). */
    static Duration parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 40) {
            return null;
        }
        Duration d = text.startsWith("P") || text.startsWith("p") ? iso(text) : units(text);
        if (d == null || d.isNegative() || d.isZero() || d.compareTo(MAX) > 0) {
            return null;
        }
        return d;
    }

    private static Duration iso(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration units(String text) {
        Duration total = Duration.ZERO;
        int i = 0;
        while (i < text.length()) {
            int start = i;
            while (i < text.length() && Character.isDigit(text.charAt(i)) && text.charAt(i) < 128) {
                i++;
            }
            if (i == start || i - start > 9) {
                return null;
            }
            long n = Long.parseLong(text.substring(start, i));
            int unitStart = i;
            while (i < text.length() && Character.isLetter(text.charAt(i))) {
                i++;
            }
            Duration part = switch (text.substring(unitStart, i)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> null;
            };
            if (part == null) {
                return null;
            }
            total = total.plus(part);
        }
        return total;
    }
}
