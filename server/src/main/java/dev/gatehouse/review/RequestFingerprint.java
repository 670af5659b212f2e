package dev.gatehouse.review;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What binds an approval to one exact request: hex SHA-256 over the requester's user name, the cluster, the HTTP
 * method, the path and query, the content type and the body. Each field is hashed after its length (8 bytes, big
 * endian), so no two different requests give the same input by shifting bytes from one field to the next
 * ({@code "ab" + "c"} is not {@code "a" + "bc"}). A retry is released only when every byte is equal.
 */
public final class RequestFingerprint {
    private static final String VERSION = "gatehouse.dev/request-fingerprint/v1";

    private RequestFingerprint() {
    }

    /** The fingerprint of a request; null strings and a null body count as empty. */
    public static String of(String user, String cluster, String method, String uri, String contentType,
                            byte[] body) {
        MessageDigest sha = sha256();
        field(sha, VERSION.getBytes(StandardCharsets.UTF_8));
        for (String s : new String[] {user, cluster, method, uri, contentType}) {
            field(sha, (s == null ? "" : s).getBytes(StandardCharsets.UTF_8));
        }
        field(sha, body == null ? new byte[0] : body);
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Hex SHA-256 of a body, as reviews show it ({@link HeldRequest#bodySha256()}). */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static void field(MessageDigest sha, byte[] bytes) {
        sha.update(ByteBuffer.allocate(Long.BYTES).putLong(bytes.length).array());
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
