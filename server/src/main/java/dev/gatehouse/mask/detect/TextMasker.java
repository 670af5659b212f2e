package dev.gatehouse.mask.detect;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatehouse.forward.BodyTransform;
import dev.gatehouse.mask.Fingerprints;
import io.vertx.core.buffer.Buffer;

/**
 * Masks the values the {@link Detectors} find in a stream of text (UTF-8 or any ASCII-compatible bytes), chunk by
 * chunk: each value becomes its marker ({@link Fingerprints}, the HMAC over the value's bytes), every other byte
 * passes unchanged.
 *
 * <p>Each chunk is emitted at once except what may still be the start of a value: the last word of a line not yet
 * ended (after the last whitespace or quote: no value contains them unless it starts with a context word; so a
 * compact JSON log line holds back only its last string), the rest of a line not yet ended that
 * holds a context word ({@code bearer}, {@code aws_secret_access_key}, {@code "private_key}, {@code -----BEGIN}),
 * and a PEM private-key block whose {@code -----END} line has not arrived. A finished line without a possible
 * match is never delayed. What is held is bounded by {@link #MAX_HOLD}: past it, an open PEM block becomes one
 * marker whole (fail closed) and anything else is treated as complete. So memory stays flat whatever the body size,
 * and any chunking gives the same output as one chunk for lines under that bound.
 *
 * <p>One instance per stream, used by one thread at a time.
 */
public final class TextMasker implements BodyTransform {
    /** The most bytes held back between chunks. */
    public static final int MAX_HOLD = Detectors.MAX_MATCH + 1024;
    private static final byte[] NO_BYTES = new byte[0];
    private static final String PEM_BEGIN = "-----BEGIN ";
    /** Sent bytes kept before the held ones, so a look-behind sees what it would in one chunk. */
    private static final int LOOK_BEHIND = 8;
    private static final Pattern PEM_HEADER = Pattern.compile("-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----");
    private static final Pattern PEM_FOOTER = Pattern.compile("-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----");

    private final Fingerprints fingerprints;
    private final SpanFinder finder;
    private final List<String> contexts;
    private byte[] pending = NO_BYTES;
    private int length;
    /** How many leading bytes of {@code pending} were already sent: kept only so look-behinds see them. */
    private int context;
    private long masked;

    /** With the built-in detectors. */
    public TextMasker(Fingerprints fingerprints) {
        this(fingerprints, Detectors.BUILT_IN);
    }

    public TextMasker(Fingerprints fingerprints, List<Detector> detectors) {
        this.fingerprints = fingerprints;
        this.finder = new SpanFinder(detectors);
        this.contexts = detectors.stream().flatMap(d -> d.contexts().stream()).distinct().toList();
    }

    /** Masks a whole text at once. */
    public static byte[] maskWhole(byte[] text, Fingerprints fingerprints) {
        TextMasker masker = new TextMasker(fingerprints);
        byte[] first = masker.mask(text);
        byte[] rest = masker.finish();
        byte[] all = Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    /** The bytes that can go out after this chunk (possibly none). */
    public byte[] mask(byte[] chunk) {
        if (chunk.length == 0) {
            return NO_BYTES;
        }
        append(chunk);
        return process(false);
    }

    /** What is left once the stream ended. */
    public byte[] finish() {
        byte[] rest = process(true);
        length = 0;
        context = 0;
        return rest;
    }

    /** How many values were masked so far. */
    public long maskedCount() {
        return masked;
    }

    /** How many bytes are held back now. */
    public int held() {
        return length - context;
    }

    @Override
    public Buffer chunk(Buffer in) {
        byte[] out = mask(in.getBytes());
        return Buffer.buffer(out);
    }

    @Override
    public Buffer end() {
        return Buffer.buffer(finish());
    }

    private byte[] process(boolean end) {
        if (length == context) {
            return NO_BYTES;
        }
        String text = new String(pending, 0, length, StandardCharsets.ISO_8859_1);
        String lower = text.toLowerCase(Locale.ROOT);
        int hold = end ? length : holdPoint(text, lower);
        int openPem = -1;
        if (length - hold > MAX_HOLD) {
            openPem = openPem(text, context);
            hold = length;
        }
        if (hold == context) {
            return NO_BYTES;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(hold + 64);
        int at = context;
        int cut = openPem >= 0 ? openPem : hold;
        for (Span span : finder.find(text, lower, context)) {
            if (span.end() > cut) {
                if (span.start() < cut && openPem < 0) {
                    cut = span.start();
                }
                break;
            }
            out.write(pending, at, span.valueStart() - at);
            out.writeBytes(marker(span.valueStart(), span.valueEnd()));
            at = span.valueEnd();
        }
        out.write(pending, at, cut - at);
        if (openPem >= 0) {
            out.writeBytes(marker(openPem, length));
            cut = length;
        }
        keepFrom(cut);
        return out.toByteArray();
    }

    private byte[] marker(int from, int to) {
        masked++;
        return fingerprints.marker(pending, from, to - from).getBytes(StandardCharsets.US_ASCII);
    }

    /** Where the bytes that may still be part of a value start (the length when none may). */
    private int holdPoint(String text, String lower) {
        int lineStart = Math.max(context, text.lastIndexOf('\n') + 1);
        int hold = length;
        while (hold > lineStart && !separator(text.charAt(hold - 1))) {
            hold--;
        }
        for (String context : contexts) {
            int i = lower.indexOf(context, lineStart);
            if (i >= 0 && i < hold) {
                hold = i;
            }
        }
        int pem = openPem(text, context);
        return pem >= 0 ? Math.min(hold, pem) : hold;
    }

    /** The first PEM private-key block whose END line has not arrived (or whose header is still arriving), or -1. */
    private int openPem(String text, int from) {
        for (int p = text.indexOf(PEM_BEGIN, from); p >= 0; p = text.indexOf(PEM_BEGIN, p + 1)) {
            Matcher header = PEM_HEADER.matcher(text).region(p, text.length());
            if (header.lookingAt()) {
                Matcher footer = PEM_FOOTER.matcher(text).region(header.end(), text.length());
                if (!footer.find()) {
                    return p;
                }
                p = footer.end() - 1;
            } else if (header.hitEnd()) {
                return p;
            }
        }
        return -1;
    }

    /** Characters no value crosses unless it starts with a context word: a held word starts after the last. */
    private static boolean separator(char c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == 0x0b || c == '"' || c == '\''
                || c == '<' || c == '>';
    }

    private void append(byte[] chunk) {
        if (length + chunk.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(length + chunk.length, Math.min(2 * pending.length, MAX_HOLD * 2)));
        }
        System.arraycopy(chunk, 0, pending, length, chunk.length);
        length += chunk.length;
    }

    /** Keeps the bytes from {@code cut} on, and a few before it as context for look-behinds. */
    private void keepFrom(int cut) {
        int keep = Math.max(0, cut - LOOK_BEHIND);
        int rest = length - keep;
        if (rest > 0 && keep > 0) {
            System.arraycopy(pending, keep, pending, 0, rest);
        }
        length = rest;
        context = cut - keep;
        if (pending.length > 4 * MAX_HOLD && rest < MAX_HOLD) {
            pending = Arrays.copyOf(pending, Math.max(rest, 1024));
        }
    }
}
