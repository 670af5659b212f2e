package dev.gatehouse.mask;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import dev.gatehouse.forward.BodyTransform;
import dev.gatehouse.mask.detect.ValueScanner;
import io.vertx.core.buffer.Buffer;

/**
 * Masks Secret values in a JSON body as it streams, over Jackson's non-blocking parser: the body's own bytes pass on
 * unchanged except the values that must not be seen, each replaced by its marker ({@link Fingerprints}). Handles any
 * chunking (a token cut across chunks is held back only when it may have to be replaced) and concatenated root values
 * (a watch stream: every event is sent with the chunk that completes it, the newlines between events kept).
 *
 * <p>Masked, in every root value and in every {@code items[*]}, {@code object} and {@code rows[*]} below it (a list,
 * a watch event, a Table with {@code includeObject=Object}): every scalar under {@code data} (a base64 marker) and
 * {@code stringData} (a plain marker), and inside the JSON of the annotation
 * {@code kubectl.kubernetes.io/last-applied-configuration} the same (if that annotation is not JSON, it becomes a
 * plain marker whole). Field names match case-insensitively, as Go's JSON decoder does. {@code null} stays.
 *
 * <p>With a {@link MaskPlan} of configured field rules ({@link FieldRule}) the same walk masks their paths too, per
 * object root (label selectors included, see {@link PlanWalker}); with a {@link ValueScanner}, every other JSON string
 * value is searched by the built-in detectors and what they find becomes a marker inside the string. A
 * {@link ClientView} that is clear (a break-glass grant) lets values through unchanged while it lasts; once it ends,
 * the values that follow are masked again.
 *
 * <p>A body that is not JSON, or ends inside a value, throws {@link MaskingException}; so does every call after that.
 * One instance per response, on its event loop.
 */
public final class JsonMasker implements BodyTransform {
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final byte[] NO_BYTES = new byte[0];

    private final Fingerprints fingerprints;
    private final ValueScanner detectors;
    private final ClientView view;
    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private final PendingBytes pending = new PendingBytes();
    private final PlanWalker shape;
    private long emitted;
    private long safeEnd;
    private long masked;
    private Buffer out;
    private boolean failed;

    /** Masks Secrets ({@code data}, {@code stringData}, the last-applied annotation). */
    public JsonMasker(Fingerprints fingerprints) {
        this(fingerprints, MaskPlan.SECRETS, null, ClientView.MASKED);
    }

    JsonMasker(Fingerprints fingerprints, MaskPlan plan, ValueScanner detectors, ClientView view) {
        this(fingerprints, new PlanWalker(plan, false), detectors, view);
    }

    private JsonMasker(Fingerprints fingerprints, PlanWalker shape, ValueScanner detectors, ClientView view) {
        this.fingerprints = fingerprints;
        this.shape = shape;
        this.detectors = detectors;
        this.view = view;
        try {
            parser = FACTORY.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    }

    /** Masks a whole document at once (for the last-applied annotation, and for tests). */
    public static byte[] maskWhole(byte[] document, Fingerprints fingerprints) {
        return whole(new JsonMasker(fingerprints), document);
    }

    static byte[] maskWhole(byte[] document, Fingerprints fingerprints, MaskPlan plan, ValueScanner detectors) {
        return whole(new JsonMasker(fingerprints, plan, detectors, ClientView.MASKED), document);
    }

    private static byte[] whole(JsonMasker masker, byte[] document) {
        Buffer all = masker.chunk(Buffer.buffer(document));
        return all.appendBuffer(masker.end()).getBytes();
    }

    @Override
    public Buffer chunk(Buffer in) {
        return step(in.getBytes(), false);
    }

    @Override
    public Buffer end() {
        return step(NO_BYTES, true);
    }

    /** How many values were replaced so far (markers, and strings with detected values). */
    public long maskedCount() {
        return masked;
    }

    /** The bytes held between chunks, for tests of memory use. */
    int retainedBytes() {
        return pending.retainedCapacity();
    }

    private boolean holding() {
        return detectors != null || shape.holding();
    }

    private Buffer step(byte[] bytes, boolean last) {
        if (failed) {
            throw new MaskingException("masking had already failed on this response");
        }
        out = Buffer.buffer(bytes.length + 64);
        pending.add(bytes);
        try {
            if (last) {
                feeder.endOfInput();
            } else if (bytes.length > 0) {
                feeder.feedInput(bytes, 0, bytes.length);
            }
            drain();
            if (last && !shape.atRoot()) {
                throw new MaskingException("the cluster's response ended inside a JSON value");
            }
        } catch (IOException e) {
            failed = true;
            throw new MaskingException("the cluster's response is not valid JSON (near byte "
                    + parser.currentLocation().getByteOffset() + ")");
        } catch (MaskingException e) {
            failed = true;
            throw e;
        }
        long hold = last || !holding() ? pending.end() : Math.max(safeEnd, emitted);
        pending.copy(out, emitted, hold);
        emitted = hold;
        pending.keepFrom(hold);
        Buffer result = out;
        out = null;
        return result;
    }

    private void drain() throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
            if (shape.atRoot()) {
                rootValue(token);
            }
            switch (token) {
                case START_OBJECT, START_ARRAY -> shape.open(token == JsonToken.START_ARRAY);
                case END_OBJECT, END_ARRAY -> shape.close();
                case FIELD_NAME -> shape.field(parser.currentName());
                default -> scalar(token);
            }
            if (holding()) {
                safeEnd = parser.currentLocation().getByteOffset();
            }
        }
    }

    /**
     * A Kubernetes response is an object (or, on a watch, a stream of them): a root value that is not an object or an
     * array fails here. Jackson's non-blocking parser takes root scalars it should not ({@code 7{}}, {@code 1.} and a
     * control byte), and no Secret can be judged outside an object, so nothing but containers goes out.
     */
    private void rootValue(JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
            throw new MaskingException("the cluster's response is not a JSON object or array at the root (near byte "
                    + parser.currentTokenLocation().getByteOffset() + ")");
        }
    }

    private void scalar(JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_NULL) {
            int kind = shape.kind();
            if (token == JsonToken.VALUE_STRING && shape.inLabels()) {
                shape.label(parser.getText());
            }
            if (kind != MaskPlan.NONE) {
                if (!view.clearNow()) {
                    replace(token, kind);
                }
            } else if (detectors != null && token == JsonToken.VALUE_STRING
                    && parser.getTextLength() >= ValueScanner.MIN_LENGTH) {
                detect();
            }
        }
        shape.valueDone();
    }

    private void detect() throws IOException {
        String text = parser.getText();
        String found = detectors.mask(text, fingerprints);
        if (found != null && !view.clearNow()) {
            long start = stringStart();
            splice(start, parser.currentLocation().getByteOffset(), quoted(found));
        }
    }

    /** The offset of the current string token's opening quote, checked. */
    private long stringStart() {
        // Jackson's non-blocking parser places a token one byte after its first byte (checked here).
        long start = parser.currentTokenLocation().getByteOffset() - 1;
        long end = parser.currentLocation().getByteOffset();
        if (pending.at(start) != '"' || pending.at(end - 1) != '"' || end - start < 2) {
            throw new MaskingException("the masker lost track of a string at byte " + start);
        }
        return start;
    }

    private void replace(JsonToken token, int kind) throws IOException {
        String text = parser.getText();
        long start;
        long end;
        if (token == JsonToken.VALUE_STRING) {
            start = stringStart();
            end = parser.currentLocation().getByteOffset();
        } else {
            start = parser.currentTokenLocation().getByteOffset() - 1;
            end = start + text.length();
            byte first = pending.at(start);
            if (first != text.charAt(0) || pending.at(end - 1) != text.charAt(text.length() - 1)) {
                throw new MaskingException("the masker lost track of a value at byte " + start);
            }
        }
        byte[] replacement = switch (kind) {
            case MaskPlan.BASE64 -> quoted(fingerprints.dataMarker(decodeBase64(text)));
            case MaskPlan.LAST_APPLIED -> token == JsonToken.VALUE_STRING ? lastApplied(text)
                    : quoted(fingerprints.marker(text.getBytes(StandardCharsets.UTF_8)));
            default -> quoted(fingerprints.marker(text.getBytes(StandardCharsets.UTF_8)));
        };
        splice(start, end, replacement);
    }

    private void splice(long start, long end, byte[] replacement) {
        if (start < emitted) {
            throw new MaskingException("the masker lost track of a value at byte " + start + " (already sent up to "
                    + emitted + ")");
        }
        pending.copy(out, emitted, start);
        out.appendBytes(replacement);
        emitted = end;
        masked++;
    }

    /**
     * The annotation's JSON with its values masked by the same plan, as a JSON string; a plain marker if it is not
     * JSON. Rules with a selector apply inside it when they apply to (or are undecided for) the object holding it.
     */
    private byte[] lastApplied(String json) {
        byte[] inner = json.getBytes(StandardCharsets.UTF_8);
        try {
            JsonMasker nested = new JsonMasker(fingerprints, new PlanWalker(shape.plan(), shape.selectorsApply()),
                    detectors, ClientView.MASKED);
            byte[] maskedInner = whole(nested, inner);
            return quoted(new String(maskedInner, StandardCharsets.UTF_8));
        } catch (MaskingException notJson) {
            return quoted(fingerprints.marker(inner));
        }
    }

    private static byte[] decodeBase64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException notBase64) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static byte[] quoted(String value) {
        byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(value);
        byte[] result = new byte[escaped.length + 2];
        result[0] = '"';
        System.arraycopy(escaped, 0, result, 1, escaped.length);
        result[result.length - 1] = '"';
        return result;
    }

    @Override
    public String toString() {
        return "JsonMasker[" + pending + ", sent up to " + emitted + (failed ? ", failed" : "") + "]";
    }
}
