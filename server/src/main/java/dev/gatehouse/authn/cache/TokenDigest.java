package dev.gatehouse.authn.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SHA-256 of a token as four longs: cheap to hash and compare, and the token cannot be recovered from it.
 */
public record TokenDigest(long a, long b, long c, long d) {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    });

    /** The digest of a token (UTF-8). */
    public static TokenDigest of(String token) {
        MessageDigest sha = SHA256.get();
        byte[] h = sha.digest(token.getBytes(StandardCharsets.UTF_8));
        return new TokenDigest(longAt(h, 0), longAt(h, 8), longAt(h, 16), longAt(h, 24));
    }

    private static long longAt(byte[] h, int offset) {
        long v = 0;
        for (int i = offset; i < offset + 8; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        return v;
    }

    @Override
    public int hashCode() {
        return (int) a;
    }

    @Override
    public String toString() {
        return "TokenDigest[" + Long.toHexString(a) + "…]";
    }
}
