package dev.gatehouse.mask.detect;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The high-entropy rule: a token of at least {@link #MIN_LENGTH} characters of the base64/hex alphabet is a secret
 * when it looks random — upper case, lower case and digits all present and a Shannon entropy of at least
 * {@link #MIN_BITS} bits per character — unless it is one of the long values ordinary data is full of:
 * <ul>
 *   <li>hex alone, or hex with dashes: digests ({@code sha256:} image digests, 40-hex git commits, MD5s), UUIDs and
 *       Kubernetes uids never have upper case, lower case <em>and</em> the rest of the alphabet;</li>
 *   <li>base64 of ordinary text (it decodes to printable ASCII with spaces), and a marker's own base64;</li>
 *   <li>content hashes named as such: subresource-integrity {@code sha256-}/{@code sha384-}/{@code sha512-} values
 *       (npm, HTML) and Go module sums ({@code h1:}).</li>
 * </ul>
 * Tuned on the ordinary-data corpus of {@code TextMaskerCorpusTest}.
 */
public final class Entropy {
    /** The shortest token the rule looks at. */
    public static final int MIN_LENGTH = 32;
    /** The least Shannon entropy, in bits per character, of a token taken for a secret. */
    public static final double MIN_BITS = 4.0;

    private Entropy() {
    }

    /** True when {@code token} (of the base64 alphabet, at least {@link #MIN_LENGTH} long) is taken for a secret. */
    public static boolean secretLike(String token) {
        if (token.startsWith("h1:") || token.startsWith("sha256-") || token.startsWith("sha384-")
                || token.startsWith("sha512-")) {
            return false;
        }
        String body = stripPadding(token);
        if (body.length() < MIN_LENGTH || !mixed(body)) {
            return false;
        }
        return bits(body) >= MIN_BITS && !decodesToText(body);
    }

    /** Shannon entropy of the characters of {@code s}, in bits per character. */
    public static double bits(String s) {
        int[] counts = new int[128];
        for (int i = 0; i < s.length(); i++) {
            counts[s.charAt(i) & 0x7f]++;
        }
        double bits = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / s.length();
                bits -= p * (Math.log(p) / Math.log(2));
            }
        }
        return bits;
    }

    /** Upper case, lower case and digits all present (never true of hex, UUIDs, or lower-case names). */
    private static boolean mixed(String s) {
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
            digit |= c >= '0' && c <= '9';
        }
        return upper && lower && digit;
    }

    /** True when the token is base64 of printable text with spaces, or of a marker. */
    static boolean decodesToText(String body) {
        byte[] decoded;
        try {
            int rest = body.length() % 4;
            if (rest == 1) {
                return false;
            }
            String padded = body + (rest == 2 ? "==" : rest == 3 ? "=" : "");
            decoded = (body.indexOf('-') >= 0 || body.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder())
                    .decode(padded);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        if (new String(decoded, StandardCharsets.ISO_8859_1).startsWith("gatehouse:masked:")) {
            return true;
        }
        int printable = 0;
        boolean space = false;
        for (byte b : decoded) {
            if ((b >= 0x20 && b < 0x7f) || b == '\n' || b == '\t' || b == '\r') {
                printable++;
            }
            space |= b == ' ' || b == '\n';
        }
        return space && printable * 10 >= decoded.length * 9;
    }

    private static String stripPadding(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        return token.substring(0, end);
    }
}
