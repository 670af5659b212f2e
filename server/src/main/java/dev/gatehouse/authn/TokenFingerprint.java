package dev.gatehouse.authn;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A short, non-reversible name for a credential, for the audit log: {@code sha256:<16 hex>}. */
public final class TokenFingerprint {
    private TokenFingerprint() {
    }

    public static String of(String token) {
        if (token == null || token.isEmpty()) {
            return "";
        }
        return "sha256:" + HexFormat.of().formatHex(sha256(token), 0, 8);
    }

    /** The full SHA-256 of a token, for lookups that must not keep the token itself. */
    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
