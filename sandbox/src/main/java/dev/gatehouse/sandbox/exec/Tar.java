package dev.gatehouse.sandbox.exec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a ustar archive of one regular file, what {@code tar cf - FILE} prints for {@code kubectl cp}. */
final class Tar {
    private static final int BLOCK = 512;

    private Tar() {
    }

    static byte[] single(String name, byte[] content) {
        byte[] header = new byte[BLOCK];
        put(header, 0, name, 100);
        put(header, 100, "0000644", 8);
        put(header, 108, "0000000", 8);
        put(header, 116, "0000000", 8);
        put(header, 124, "%011o".formatted(content.length), 12);
        put(header, 136, "%011o".formatted(1_767_225_600L), 12);
        header[156] = '0';
        put(header, 257, "ustar", 6);
        put(header, 263, "00", 2);
        put(header, 265, "root", 32);
        put(header, 297, "root", 32);
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, "%06o".formatted(sum), 7);
        header[155] = ' ';
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(content);
        out.writeBytes(new byte[(BLOCK - content.length % BLOCK) % BLOCK]);
        out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    private static void put(byte[] header, int offset, String value, int length) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, Math.min(bytes.length, length));
    }
}
