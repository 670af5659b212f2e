package dev.gatehouse.mask;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One HMAC-SHA256 key of the masker.
 *
 * @param id    the first 8 hex digits of the SHA-256 of the key; markers name the key by it
 * @param bytes the key; never logged, never in a message
 */
public record MaskKey(String id, byte[] bytes) {
    /** The length of a generated key in bytes. */
    public static final int LENGTH = 32;

    public MaskKey {
        if (bytes == null || bytes.length < 16) {
            throw new IllegalArgumentException("mask key: " + (bytes == null ? "null" : bytes.length + " bytes")
                    + " (expected: at least 16 bytes)");
        }
        if (!idOf(bytes).equals(id)) {
            throw new IllegalArgumentException("mask key id: " + id + " (expected: " + idOf(bytes)
                    + ", the first 8 hex digits of the key's SHA-256)");
        }
        bytes = bytes.clone();
    }

    /** A key named by its own digest. */
    public static MaskKey of(byte[] bytes) {
        return new MaskKey(idOf(bytes), bytes);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "MaskKey[" + id + "]";
    }

    static String idOf(byte[] bytes) {
        if (bytes == null) {
            return "";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Equal when both keys are the same bytes (compared in constant time). */
    @Override
    public boolean equals(Object other) {
        return other instanceof MaskKey k && MessageDigest.isEqual(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
