package dev.gatehouse.review;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The fingerprint that binds an approval to one exact request: hex SHA-256 over length-prefixed fields, so no two
 * different requests collide by moving bytes from one field to the next.
 */
public final class RequestFingerprint {
    private RequestFingerprint() {
    }

    public static String of(String user, String cluster, String method, String uri, String contentType, byte[] body) {
        MessageDigest digest = sha256();
        for (String field : new String[] {user, cluster, method, uri, contentType}) {
            update(digest, field.getBytes(StandardCharsets.UTF_8));
        }
        update(digest, body);
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static void update(MessageDigest digest, byte[] field) {
        digest.update(ByteBuffer.allocate(8).putLong(field.length).array());
        digest.update(field);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
