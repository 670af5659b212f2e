package dev.gatehouse.review;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Review and grant ids: a prefix ({@code r-} or {@code g-}) and 26 lower-case base32 characters (130 random bits
 * from {@link SecureRandom}), so an id cannot be guessed from another. Anything else is not an id, and is refused
 * before the store is asked.
 */
final class ReviewIds {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final Pattern REVIEW = Pattern.compile("r-[a-z2-7]{26}");
    private static final Pattern GRANT = Pattern.compile("g-[a-z2-7]{26}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ReviewIds() {
    }

    static String newReviewId() {
        return "r-" + random26();
    }

    static String newGrantId() {
        return "g-" + random26();
    }

    static boolean isReviewId(String id) {
        return id != null && REVIEW.matcher(id).matches();
    }

    static boolean isGrantId(String id) {
        return id != null && GRANT.matcher(id).matches();
    }

    private static String random26() {
        char[] out = new char[26];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(32)];
        }
        return new String(out);
    }
}
