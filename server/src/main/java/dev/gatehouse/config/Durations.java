package dev.gatehouse.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Durations as people write them in the config, policies, the API and on the command line: {@code 500ms},
 * {@code 45s}, {@code 10m}, {@code 2h}, {@code 1h30m}, {@code 1d}, or ISO-8601 ({@code PT4H}); written back in the
 * short form. One parser for all of them, so a duration means the same everywhere.
 */
public final class Durations {
    /** What every error says is accepted. */
    public static final String EXPECTED = "expected: a positive duration such as 30s, 10m, 2h, 1h30m or PT4H";

    private Durations() {
    }

    /** The positive duration {@code text} means, or null when it is not one. */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 40) {
            return null;
        }
        Duration d = text.startsWith("P") || text.startsWith("p") ? iso(text) : units(text);
        return d == null || d.isNegative() || d.isZero() ? null : d;
    }

    /** Parses {@code text}; fails with an IllegalArgumentException naming {@code field}, the value and the forms. */
    public static Duration parse(String field, String text) {
        Duration d = parse(text);
        if (d == null) {
            String shown = text == null ? "null" : "\"" + (text.length() > 40 ? text.substring(0, 40) + "…" : text)
                    .replaceAll("\\p{Cntrl}", "?") + "\"";
            throw new IllegalArgumentException(field + ": " + shown + " (" + EXPECTED + ")");
        }
        return d;
    }

    /** {@code 2h}, {@code 1h30m}, {@code 45s}, {@code 0s} (whole seconds); null for null. */
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

    private static Duration iso(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration units(String text) {
        Duration total = Duration.ZERO;
        int lastRank = Integer.MAX_VALUE; // units from the largest down, each once: 1h30m, not 30m1h or 1h1h
        int i = 0;
        while (i < text.length()) {
            int start = i;
            while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
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
            String unit = text.substring(unitStart, i);
            int rank = switch (unit) {
                case "ms" -> 0;
                case "s" -> 1;
                case "m" -> 2;
                case "h" -> 3;
                case "d" -> 4;
                default -> -1;
            };
            if (rank < 0 || rank >= lastRank) {
                return null;
            }
            lastRank = rank;
            total = total.plus(switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        return total;
    }
}
