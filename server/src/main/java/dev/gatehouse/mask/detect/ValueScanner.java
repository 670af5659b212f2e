package dev.gatehouse.mask.detect;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.gatehouse.mask.Fingerprints;

/**
 * The built-in detectors over one whole string (a JSON string value, decoded): each detected value becomes its marker
 * (the HMAC over its UTF-8 bytes, as {@link TextMasker} makes it), the rest of the string stays. Strings shorter than
 * {@link #MIN_LENGTH} are not looked at (no detector matches so little). The high-entropy rule does not apply inside
 * a PEM block that is not a private key (a certificate's or a public key's base64 lines are not secrets: every
 * namespace's {@code kube-root-ca.crt} ConfigMap holds one). Stateless and thread-safe.
 */
public final class ValueScanner {
    /** The shortest string looked at. */
    public static final int MIN_LENGTH = 8;
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";

    private final SpanFinder finder;
    private final String[] triggers;
    private final boolean longRuns;

    public ValueScanner() {
        this(Detectors.BUILT_IN);
    }

    public ValueScanner(List<Detector> detectors) {
        this.finder = new SpanFinder(detectors);
        this.triggers = detectors.stream().flatMap(d -> d.triggers().stream()).distinct().toArray(String[]::new);
        this.longRuns = detectors.stream().anyMatch(d -> d.start() == Detector.Start.LONG_RUN);
    }

    /**
     * The fast path: false when no detector can match (no trigger, no run of {@link Entropy#MIN_LENGTH} base64
     * characters), without allocating.
     */
    private boolean mayMatch(String text, String lower) {
        if (longRuns) {
            // the high-entropy rule needs a run of MIN_LENGTH base64 characters with upper case, lower case and digits
            int run = 0;
            int kinds = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                int kind = c >= 'a' && c <= 'z' ? 1 : c >= 'A' && c <= 'Z' ? 2 : c >= '0' && c <= '9' ? 4
                        : c == '+' || c == '/' || c == '_' || c == '-' ? 8 : 0;
                if (kind == 0) {
                    run = 0;
                    kinds = 0;
                } else {
                    kinds |= kind;
                    if (++run >= Entropy.MIN_LENGTH && (kinds & 7) == 7) {
                        return true;
                    }
                }
            }
        }
        for (String trigger : triggers) {
            if (lower.contains(trigger)) {
                return true;
            }
        }
        return false;
    }

    /** The string with its detected values masked, or null when none was found. */
    public String mask(String text, Fingerprints fingerprints) {
        if (text.length() < MIN_LENGTH) {
            return null;
        }
        String lower = asciiLower(text);
        if (!mayMatch(text, lower)) {
            return null;
        }
        List<Span> spans = finder.find(text, lower, 0);
        if (spans.isEmpty()) {
            return null;
        }
        StringBuilder out = null;
        int at = 0;
        for (Span span : spans) {
            if (span.kind().equals(Detectors.HIGH_ENTROPY.kind()) && inPublicPem(text, span.valueStart())) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 64);
            }
            out.append(text, at, span.valueStart());
            byte[] value = text.substring(span.valueStart(), span.valueEnd()).getBytes(StandardCharsets.UTF_8);
            out.append(fingerprints.marker(value));
            at = span.valueEnd();
        }
        if (out == null) {
            return null;
        }
        return out.append(text, at, text.length()).toString();
    }

    /** True when {@code at} lies inside a PEM block whose label does not say PRIVATE KEY. */
    private static boolean inPublicPem(String text, int at) {
        int begin = text.lastIndexOf(BEGIN, at);
        if (begin < 0) {
            return false;
        }
        int labelEnd = text.indexOf("-----", begin + BEGIN.length());
        if (labelEnd < 0 || labelEnd > at || labelEnd - begin > 60) {
            return false;
        }
        String label = text.substring(begin + BEGIN.length(), labelEnd);
        if (label.contains("PRIVATE KEY") || !label.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || c == ' ')) {
            return false;
        }
        int end = text.indexOf(END, labelEnd);
        return end < 0 || end > at;
    }

    /** Lower case for ASCII letters only, so every index stays the same as in {@code text}. */
    static String asciiLower(String text) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = (char) (c + 32);
            }
        }
        return chars == null ? text : new String(chars);
    }
}
