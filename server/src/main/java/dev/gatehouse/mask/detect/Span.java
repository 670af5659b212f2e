package dev.gatehouse.mask.detect;

/**
 * One detected value in a text: the whole match ({@code start}..{@code end}) and the value inside it that becomes a
 * marker ({@code valueStart}..{@code valueEnd}).
 *
 * @param kind the detector's kind
 */
public record Span(String kind, int start, int end, int valueStart, int valueEnd) {
    public Span {
        if (start < 0 || start > valueStart || valueStart >= valueEnd || valueEnd > end) {
            throw new IllegalArgumentException("span " + kind + ": " + start + ".." + valueStart + ".." + valueEnd
                    + ".." + end + " (expected: 0 <= start <= valueStart < valueEnd <= end)");
        }
    }
}
