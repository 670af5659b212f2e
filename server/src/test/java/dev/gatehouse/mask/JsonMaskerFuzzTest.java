package dev.gatehouse.mask;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.vertx.core.buffer.Buffer;

/**
 * The streaming masker under hostile bodies and chunkings: any input, cut where the fuzzer chooses, either fails with
 * {@link MaskingException} or comes out as valid JSON; a Secret built around fuzzer-chosen values never shows them.
 * Jazzer fuzzes one target per JVM: the second target is {@link JsonMaskerSecretFuzzTest}.
 */
class JsonMaskerFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void anyBodyIsMaskedIntoValidJsonOrRefused(FuzzedDataProvider data) {
        List<Integer> cuts = cuts(data);
        byte[] body = data.consumeRemainingAsBytes();
        byte[] out;
        try {
            out = maskAt(body, cuts);
        } catch (MaskingException refused) {
            return;
        }
        if (!validJson(out)) {
            throw new IllegalStateException("the masker emitted invalid JSON for an input it accepted");
        }
    }

    static List<Integer> cuts(FuzzedDataProvider data) {
        int count = data.consumeInt(0, 12);
        List<Integer> cuts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cuts.add(data.consumeInt(1, 64));
        }
        return cuts;
    }

    /** Masks the body cut into pieces of the given sizes (repeated). */
    static byte[] maskAt(byte[] body, List<Integer> cuts) {
        JsonMasker masker = new JsonMasker(Fingerprints.with(SecretBodies.KEY));
        Buffer out = Buffer.buffer();
        int at = 0;
        int i = 0;
        while (at < body.length) {
            int size = cuts.isEmpty() ? body.length : cuts.get(i++ % cuts.size());
            int to = Math.min(body.length, at + size);
            out.appendBuffer(masker.chunk(Buffer.buffer(Arrays.copyOfRange(body, at, to))));
            at = to;
        }
        return out.appendBuffer(masker.end()).getBytes();
    }

    static boolean validJson(byte[] out) {
        try {
            SecretBodies.roots(out);
            return true;
        } catch (AssertionError invalid) {
            return false;
        }
    }

    static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
