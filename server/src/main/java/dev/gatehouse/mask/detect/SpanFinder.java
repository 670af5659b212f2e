package dev.gatehouse.mask.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Runs the detectors over one text and keeps the spans that do not overlap: the leftmost first; of two starting at
 * the same place, the longer; then the earlier detector. A detector's pattern is tried only where a match can start
 * ({@link Detector.Start}): at each of its triggers in the lower-cased text, or at each long base64/hex run. Ordinary
 * text costs a few {@code indexOf} scans and one pass over its bytes.
 */
final class SpanFinder {
    private static final Comparator<Span> ORDER = Comparator.comparingInt(Span::start)
            .thenComparing(Comparator.comparingInt(Span::end).reversed());
    private static final int MAX_SCHEME = 31;

    private final List<Detector> detectors;

    SpanFinder(List<Detector> detectors) {
        this.detectors = List.copyOf(detectors);
    }

    /**
     * The spans of {@code text} from {@code from} on (the bytes before it are context for look-behinds only);
     * {@code lower} is the same text in lower case.
     */
    List<Span> find(String text, String lower, int from) {
        List<Span> all = new ArrayList<>();
        for (Detector detector : detectors) {
            Matcher m = detector.pattern().matcher(text).useTransparentBounds(true);
            if (detector.start() == Detector.Start.LONG_RUN) {
                LongRuns.forEach(text, from, Entropy.MIN_LENGTH, (start, end) -> tryAt(detector, m, text,
                        start >= from + 3 && text.startsWith("h1:", start - 3) ? start - 3 : start, all));
                continue;
            }
            for (String trigger : detector.triggers()) {
                for (int i = lower.indexOf(trigger, from); i >= 0; i = lower.indexOf(trigger, i + 1)) {
                    int start = detector.start() == Detector.Start.AT_TRIGGER ? i : schemeStart(text, from, i);
                    tryAt(detector, m, text, start, all);
                }
            }
        }
        return nonOverlapping(all);
    }

    private static void tryAt(Detector detector, Matcher m, String text, int start, List<Span> into) {
        m.region(start, text.length());
        if (!m.lookingAt()) {
            return;
        }
        int group = detector.group();
        if (m.start(group) < 0 || m.end(group) == m.start(group)) {
            return;
        }
        if (detector.accepts().test(m.group())) {
            into.add(new Span(detector.kind(), m.start(), m.end(), m.start(group), m.end(group)));
        }
    }

    /** The start of the URL scheme that ends at {@code colon} ({@code ://}). */
    private static int schemeStart(String text, int from, int colon) {
        int start = colon;
        while (start > from && colon - start < MAX_SCHEME && schemeChar(text.charAt(start - 1))) {
            start--;
        }
        return start;
    }

    private static boolean schemeChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '.'
                || c == '-';
    }

    private static List<Span> nonOverlapping(List<Span> all) {
        if (all.size() < 2) {
            return all;
        }
        all.sort(ORDER);
        List<Span> kept = new ArrayList<>(all.size());
        int reached = 0;
        for (Span span : all) {
            if (span.start() >= reached) {
                kept.add(span);
                reached = span.end();
            }
        }
        return kept;
    }
}
