package dev.gatehouse.mask;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a Secret value into its marker: {@code gatehouse:masked:hmac-sha256:<key id>:<first 16 bytes of
 * HMAC-SHA256(key, value), base64url>}, the same length for every value. A {@code data} value (base64 on the wire)
 * becomes the base64 of that marker, so typed clients still decode it; its HMAC is over the decoded bytes, so a value
 * has the same fingerprint in {@code data} and {@code stringData}. One instance holds a {@link Mac}: not thread-safe,
 * one per response.
 */
public final class Fingerprints {
    /** What every plain marker starts with. */
    public static final String PREFIX = "gatehouse:masked:hmac-sha256:";
    /** The length of a plain marker. */
    public static final int MARKER_LENGTH = PREFIX.length() + 8 + 1 + 22;
    private static final int TRUNCATED = 16;

    private final MaskKey key;
    private final Mac mac;

    private Fingerprints(MaskKey key) {
        this.key = key;
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage(), e);
        }
    }

    /** Markers under this key. */
    public static Fingerprints with(MaskKey key) {
        return new Fingerprints(key);
    }

    /** The plain marker of a value under a key. */
    public static String of(MaskKey key, byte[] value) {
        return with(key).marker(value);
    }

    /** The plain marker of a value: for {@code stringData} and other string fields. */
    public String marker(byte[] value) {
        return marker(value, 0, value.length);
    }

    /** The plain marker of {@code length} bytes of {@code value} from {@code offset}. */
    public String marker(byte[] value, int offset, int length) {
        mac.update(value, offset, length);
        byte[] hmac = mac.doFinal();
        return PREFIX + key.id() + ":" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Arrays.copyOf(hmac, TRUNCATED));
    }

    /** The marker of a {@code data} value, given its decoded bytes: the base64 of the plain marker. */
    public String dataMarker(byte[] decoded) {
        return Base64.getEncoder().encodeToString(marker(decoded).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Whether a marker (plain or base64, as found in a record) is the fingerprint of a suspected value, for
     * {@code gatehouse audit fingerprint}. Compares in constant time.
     */
    public static Check check(String marker, byte[] suspected, MaskKeys keys) {
        String plain = plainMarker(marker.strip());
        if (plain == null) {
            return new Check.NotAMarker();
        }
        String id = plain.substring(PREFIX.length(), PREFIX.length() + 8);
        return keys.key(id).<Check>map(key -> MessageDigest.isEqual(
                        of(key, suspected).getBytes(StandardCharsets.US_ASCII),
                        plain.getBytes(StandardCharsets.US_ASCII)) ? new Check.Match(id) : new Check.NoMatch(id))
                .orElseGet(() -> new Check.UnknownKey(id));
    }

    /** The plain form of a plain or base64 marker, or null when it is neither. */
    static String plainMarker(String marker) {
        String plain = marker;
        if (!marker.startsWith(PREFIX)) {
            try {
                plain = new String(Base64.getDecoder().decode(marker), StandardCharsets.US_ASCII);
            } catch (IllegalArgumentException notBase64) {
                return null;
            }
        }
        boolean shaped = plain.length() == MARKER_LENGTH && plain.startsWith(PREFIX)
                && plain.substring(PREFIX.length(), PREFIX.length() + 8).matches("[0-9a-f]{8}")
                && plain.charAt(PREFIX.length() + 8) == ':'
                && plain.substring(PREFIX.length() + 9).matches("[A-Za-z0-9_-]{22}");
        return shaped ? plain : null;
    }

    /** The outcome of checking a suspected value against a marker. */
    public sealed interface Check {
        /** The value is the one the marker was made from. */
        record Match(String keyId) implements Check {
        }

        /** The value is not the one the marker was made from. */
        record NoMatch(String keyId) implements Check {
        }

        /** The marker names a key the gateway does not hold. */
        record UnknownKey(String keyId) implements Check {
        }

        /** The text is not a marker. */
        record NotAMarker() implements Check {
        }
    }
}
