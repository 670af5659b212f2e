package dev.gatehouse.audit.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** RFC 6962 hashing: domain-separated SHA-256 for leaves and interior nodes. */
public final class MerkleHash {
    public static final int SIZE = 32;
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(MerkleHash::newDigest);

    private MerkleHash() {
    }

    /** The hash of a leaf: {@code SHA-256(0x00 || bytes)}. */
    public static byte[] leaf(byte[] bytes) {
        return leaf(bytes, 0, bytes.length);
    }

    public static byte[] leaf(byte[] bytes, int offset, int length) {
        MessageDigest md = SHA256.get();
        md.update((byte) 0);
        md.update(bytes, offset, length);
        return md.digest();
    }

    /** The hash of an interior node: {@code SHA-256(0x01 || left || right)}. */
    public static byte[] node(byte[] left, byte[] right) {
        MessageDigest md = SHA256.get();
        md.update((byte) 1);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    /** The root of the empty tree: {@code SHA-256()}. */
    public static byte[] empty() {
        return SHA256.get().digest();
    }

    public static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }

    public static byte[] fromHex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
