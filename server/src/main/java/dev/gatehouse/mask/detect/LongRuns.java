package dev.gatehouse.mask.detect;

/** The fast check of the high-entropy rule: is there a run of base64/hex-alphabet characters long enough at all. */
final class LongRuns {
    private static final boolean[] ALPHABET = new boolean[256];

    static {
        for (char c = 'A'; c <= 'Z'; c++) {
            ALPHABET[c] = true;
            ALPHABET[Character.toLowerCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            ALPHABET[c] = true;
        }
        for (char c : "+/_-=".toCharArray()) {
            ALPHABET[c] = true;
        }
    }

    private LongRuns() {
    }

    /** True when {@code text} (ISO-8859-1) holds at least {@code length} alphabet characters in a row. */
    static boolean present(String text, int length) {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            if (ALPHABET[text.charAt(i) & 0xff]) {
                if (++run >= length) {
                    return true;
                }
            } else {
                run = 0;
            }
        }
        return false;
    }
}
