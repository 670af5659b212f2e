package dev.gatehouse.mask.detect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The text masker under hostile text and chunkings: any text (lines under {@link TextMasker#MAX_HOLD}), cut where the
 * fuzzer chooses, comes out as it does in one chunk; a PEM private key and an AWS key id planted in it, at a place
 * and after a separator the fuzzer chooses, never survive.
 */
class TextMaskerFuzzTest {
    private static final String PEM = Samples.resource("ec.pem");
    private static final String PEM_BODY = PEM.lines().skip(1).findFirst().orElseThrow();
    private static final byte[] SEPARATORS = " \n\t\"'=:,;([{<".getBytes(StandardCharsets.US_ASCII);

    @FuzzTest(maxDuration = "15s")
    void anyChunkingMasksAsOneChunkAndPlantedKeysNeverSurvive(FuzzedDataProvider data) {
        List<Integer> cuts = new ArrayList<>();
        int count = data.consumeInt(1, 12);
        for (int i = 0; i < count; i++) {
            cuts.add(data.consumeInt(1, 64));
        }
        boolean plant = data.consumeBoolean();
        int at = data.consumeInt(0, 4096);
        byte before = SEPARATORS[data.consumeInt(0, SEPARATORS.length - 1)];
        byte after = SEPARATORS[data.consumeInt(0, SEPARATORS.length - 1)];
        byte[] fuzz = data.consumeRemainingAsBytes();
        if (fuzz.length > 8192) {
            fuzz = Arrays.copyOf(fuzz, 8192);
        }
        byte[] text = plant ? planted(fuzz, Math.min(at, fuzz.length), before, after) : fuzz;

        byte[] whole = Samples.maskAt(text, List.of());
        byte[] cut = Samples.maskAt(text, cuts);
        if (!Arrays.equals(whole, cut)) {
            throw new IllegalStateException("a chunking changed the masked text");
        }
        if (plant) {
            // the fuzzer may spell the key itself, glued to other text: only the planted copy must be gone
            String out = new String(whole, StandardCharsets.ISO_8859_1);
            String own = new String(fuzz, StandardCharsets.ISO_8859_1);
            if (count(out, PEM_BODY) > count(own, PEM_BODY)
                    || count(out, Samples.AWS_KEY_ID) > count(own, Samples.AWS_KEY_ID)) {
                throw new IllegalStateException("a planted key survived masking");
            }
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static byte[] planted(byte[] fuzz, int at, byte before, byte after) {
        byte[] key = ("\n" + PEM + "key " + Samples.AWS_KEY_ID).getBytes(StandardCharsets.US_ASCII);
        byte[] text = new byte[fuzz.length + key.length + 2];
        System.arraycopy(fuzz, 0, text, 0, at);
        text[at] = before;
        System.arraycopy(key, 0, text, at + 1, key.length);
        text[at + 1 + key.length] = after;
        System.arraycopy(fuzz, at, text, at + 2 + key.length, fuzz.length - at);
        return text;
    }
}
