package dev.gatehouse.mask.detect;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kind of high-risk value found in text by a regular expression.
 *
 * <p>The text a detector sees is the bytes taken one for one as ISO-8859-1 characters, so every match is a byte range
 * and UTF-8 sequences (bytes ≥ 0x80) never match the ASCII patterns by accident.
 *
 * @param kind     what the value is ("aws-access-key-id"), for tests and documentation; never the value
 * @param pattern  the expression; a match never contains whitespace unless it starts with one of {@code contexts}
 * @param group    the group that is the value to mask (0: the whole match); the rest of the match stays visible
 * @param triggers literals one of which every match contains: the detector runs only where one appears (the fast path)
 * @param contexts lower-case words a match that may span whitespace starts with ({@code bearer}, {@code -----begin}):
 *                 a line still being received that contains one is held back whole, not just its last word
 * @param accepts  a last check of the whole match (a JWT's header must decode to JSON with {@code alg}; the entropy
 *                 rule)
 * @param start    where a match can start, relative to a trigger: the pattern is tried there only
 *                 ({@link Matcher#lookingAt}), so the cost follows the triggers, not the text
 */
public record Detector(String kind, Pattern pattern, int group, List<String> triggers, List<String> contexts,
                       Predicate<String> accepts, Start start) {
    /** Where a match starts. */
    public enum Start {
        /** At the trigger: the trigger is the match's first characters (case-insensitively). */
        AT_TRIGGER,
        /** At the URL scheme before the trigger {@code ://}. */
        SCHEME_BEFORE_TRIGGER,
        /** At the start of every run of {@link Entropy#MIN_LENGTH} or more base64/hex characters (no triggers). */
        LONG_RUN
    }

    public Detector {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(pattern, "pattern");
        if (group < 0 || group > pattern.matcher("").groupCount()) {
            throw new IllegalArgumentException("detector " + kind + " group: " + group + " (expected: 0.."
                    + pattern.matcher("").groupCount() + ")");
        }
        triggers = List.copyOf(triggers);
        contexts = contexts.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
        accepts = accepts == null ? value -> true : accepts;
        Objects.requireNonNull(start, "start");
    }

    /** A detector that masks its whole match and has no further check. */
    static Detector of(String kind, String regex, List<String> triggers) {
        return new Detector(kind, Pattern.compile(regex), 0, triggers, List.of(), null, Start.AT_TRIGGER);
    }
}
