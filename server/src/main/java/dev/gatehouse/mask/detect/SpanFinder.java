package dev.gatehouse.mask.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Runs the detectors over one text and keeps the spans that do not overlap: the leftmost first; of two starting at
 * the same place, the longer; then the earlier detector. A detector runs only where one of its triggers appears
 * (in the lower-cased text), so ordinary text costs a few {@code indexOf} scans.
 */
final class SpanFinder {
    private static final Comparator<Span> ORDER = Comparator.comparingInt(Span::start)
            .thenComparing(Comparator.comparingInt(Span::end).reversed());

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
            if (triggered(detector, text, lower)) {
                collect(detector, text, from, all);
            }
        }
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

    private static boolean triggered(Detector detector, String text, String lower) {
        if (detector.triggers().isEmpty()) {
            return LongRuns.present(text, Entropy.MIN_LENGTH);
        }
        for (String trigger : detector.triggers()) {
            if (lower.contains(trigger)) {
                return true;
            }
        }
        return false;
    }

    private static void collect(Detector detector, String text, int from, List<Span> into) {
        Matcher m = detector.pattern().matcher(text).region(from, text.length()).useTransparentBounds(true);
        int group = detector.group();
        while (m.find()) {
            if (m.start(group) < 0 || m.end(group) == m.start(group)) {
                continue;
            }
            if (detector.accepts().test(m.group())) {
                into.add(new Span(detector.kind(), m.start(), m.end(), m.start(group), m.end(group)));
            }
        }
    }
}
