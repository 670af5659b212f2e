package dev.gatehouse.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people and kubectl write them: {@code 2h}, {@code 90m}, {@code 1h30m}, {@code 45s} (or ISO-8601,
 * {@code PT2H}); written back in the short form.
 */
public final class DurationText {
    private static final Pattern SHORT = Pattern.compile("(?:(\\d{1,6})h)?(?:(\\d{1,6})m)?(?:(\\d{1,8})s)?");

    private DurationText() {
    }

    /** Parses {@code text}; fails with a message naming {@code field} and the accepted forms. */
    public static Duration parse(String field, String text) {
        String expected = " (expected: a positive duration such as 2h, 90m or 1h30m)";
        if (text == null || text.isBlank() || text.length() > 32) {
            throw new IllegalArgumentException(field + ": \"" + Replies.shorten(text) + "\"" + expected);
        }
        Duration duration;
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                duration = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(field + ": \"" + text + "\"" + expected);
            }
        } else {
            Matcher m = SHORT.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException(field + ": \"" + text + "\"" + expected);
            }
            duration = Duration.ofHours(number(m.group(1))).plusMinutes(number(m.group(2)))
                    .plusSeconds(number(m.group(3)));
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(field + ": \"" + text + "\"" + expected);
        }
        return duration;
    }

    /** {@code 2h}, {@code 1h30m}, {@code 45s}, {@code 0s}; null for null. */
    public static String format(Duration duration) {
        if (duration == null) {
            return null;
        }
        long seconds = duration.toSeconds();
        StringBuilder text = new StringBuilder();
        if (seconds >= 3600) {
            text.append(seconds / 3600).append('h');
        }
        if (seconds % 3600 >= 60) {
            text.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 != 0 || text.isEmpty()) {
            text.append(seconds % 60).append('s');
        }
        return text.toString();
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }
}
