package dev.gatehouse.mask.detect;

/**
 * Where the high-entropy rule looks: runs of base64/hex-alphabet characters ({@code A-Z a-z 0-9 + / _ -}; padding
 * {@code =} ends a run) long enough to be considered at all.
 */
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
        for (char c : "+/_-".toCharArray()) {
            ALPHABET[c] = true;
        }
    }

    /** Receives one run. */
    @FunctionalInterface
    interface RunConsumer {
        void run(int start, int end);
    }

    private LongRuns() {
    }

    /** Calls {@code each} for every run of at least {@code length} characters of {@code text} from {@code from}. */
    static void forEach(String text, int from, int length, RunConsumer each) {
        int start = from;
        for (int i = from; i <= text.length(); i++) {
            if (i < text.length() && ALPHABET[text.charAt(i) & 0xff]) {
                continue;
            }
            if (i - start >= length) {
                each.run(start, i);
            }
            start = i + 1;
        }
    }
}
