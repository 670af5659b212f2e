package dev.gatehouse.mask.detect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import dev.gatehouse.mask.Fingerprints;
import dev.gatehouse.mask.MaskKey;

/** Test keys and tokens (made for these tests, valid nowhere), and helpers to mask text in chunks. */
final class Samples {
    static final MaskKey KEY = MaskKey.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    static final String AWS_KEY_ID = "AKIAZ7QXJ4N2KD5WLM3P";
    static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String GITHUB = "ghp_Zx8Rt5Kq2Lm9Vb3Nc7Hd1Fg6Js4Pw0Ya8UeI";
    static final String GITHUB_PAT = "github_pat_11ABCDEFG0Zx8Rt5Kq2Lm9_Vb3Nc7Hd1Fg6Js4Pw0Ya8UeIq2Lm9Vb3Nc7Hd1Fg6Js4Pw0Ya8UeIabc";
    static final String SLACK = "xoxb-2487361045-5520938476-Qw3Er5Ty7Ui9Op1As3Df5Gh";
    static final String JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6Ik0xIn0.eyJpc3MiOiJodHRwczovL2t1YmVybmV0ZXMiLCJzdWIiOiJzeXN0"
            + "ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDphcHAifQ.c2lnbmF0dXJlLW5vdC1yZWFsLWJ1dC1sb25nLWVub3VnaC10by1sb29r";
    static final String BEARER = "sk9Q2w7E4r1T8y5U3i6O0p2A9s7D";
    static final String URL_PASSWORD = "s3cr3t-P4ssw0rd!";
    static final String HIGH_ENTROPY = "Yq8zT3vLm2Nc9Xw5Rb7Kd1Gh4Fj6Sp0QaE2uI8oZ";

    private Samples() {
    }

    static String resource(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/detect/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource /detect/" + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String maskWhole(String text) {
        return new String(TextMasker.maskWhole(bytes(text), Fingerprints.with(KEY)), StandardCharsets.UTF_8);
    }

    /** Masks {@code text} cut into pieces of the given sizes (repeated; none: one piece). */
    static byte[] maskAt(byte[] text, List<Integer> cuts) {
        TextMasker masker = new TextMasker(Fingerprints.with(KEY));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int at = 0;
        int i = 0;
        while (at < text.length) {
            int size = cuts.isEmpty() ? text.length : cuts.get(i++ % cuts.size());
            int to = Math.min(text.length, at + size);
            out.writeBytes(masker.mask(Arrays.copyOfRange(text, at, to)));
            at = to;
        }
        out.writeBytes(masker.finish());
        return out.toByteArray();
    }

    static String marker(String value) {
        return Fingerprints.of(KEY, bytes(value));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
