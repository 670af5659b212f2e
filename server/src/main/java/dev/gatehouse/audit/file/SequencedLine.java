package dev.gatehouse.audit.file;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.SystemEvents;

/**
 * An event serialized on the appender's thread with a placeholder position, so the single writer only splices
 * the real position in: {@code "seq":9223372036854775807} in the {@code gatehouse} section becomes
 * {@code "seq":<position>}. The result is byte for byte what serializing {@code event.withSeq(position)} gives.
 *
 * @param template the JSON with the placeholder
 * @param seqAt    where the placeholder's digits start
 */
record SequencedLine(byte[] template, int seqAt) {
    private static final long PLACEHOLDER = Long.MAX_VALUE;
    private static final int DIGITS = Long.toString(PLACEHOLDER).length();
    private static final byte[] MARKER = ("\"seq\":" + PLACEHOLDER).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SECTION = "\"gatehouse\":{".getBytes(StandardCharsets.US_ASCII);

    /** Serializes {@code event} (failing on the caller's thread if it cannot be). */
    static SequencedLine of(AuditEvent event) {
        byte[] json = AuditEventJson.toBytes(SystemEvents.withGatehouseSection(event).withSeq(PLACEHOLDER));
        int section = lastIndexOf(json, SECTION);
        int at = section < 0 ? -1 : indexOf(json, MARKER, section);
        if (at < 0) {
            throw new IllegalStateException("audit event JSON has no gatehouse.seq to set");
        }
        return new SequencedLine(json, at + MARKER.length - DIGITS);
    }

    /** The line's length with {@code seq} in place. */
    int length(byte[] digits) {
        return template.length - DIGITS + digits.length;
    }

    /** Writes the line with {@code digits} as its position into {@code out}, and into {@code leaf}. */
    void writeTo(ByteBuffer out, byte[] digits, MessageDigest leaf) {
        int after = seqAt + DIGITS;
        out.put(template, 0, seqAt).put(digits).put(template, after, template.length - after);
        leaf.update(template, 0, seqAt);
        leaf.update(digits);
        leaf.update(template, after, template.length - after);
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            if (matches(haystack, needle, i)) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        for (int i = from; i + needle.length <= haystack.length; i++) {
            if (matches(haystack, needle, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matches(byte[] haystack, byte[] needle, int at) {
        for (int j = 0; j < needle.length; j++) {
            if (haystack[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
