package dev.gatehouse.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The canonical form of an answer's rows, and its SHA-256. The form is JSON lines: first the column names, then
 * each row, each line a JSON array of strings serialized as RFC 8785 (JCS) does — no whitespace; in strings only
 * {@code "} and {@code \} and the control characters below U+0020 escaped ({@code \b \t \n \f \r} by name, the
 * others as <code>&#92;u00xx</code> in lower-case hex); everything else as its UTF-8 bytes — and each line ended by one
 * {@code \n}. {@code jq -c '.columns, .rows[]' answer.json | sha256sum} reproduces it for rows without U+007F
 * (which jq escapes and JCS does not).
 */
public final class CanonicalRows {
    /** The name of this form, carried in every answer. */
    public static final String FORM = "jcs-json-lines-v1";

    private CanonicalRows() {
    }

    /** The canonical bytes of {@code columns} and {@code rows}. */
    public static byte[] bytes(List<String> columns, List<List<String>> rows) {
        StringBuilder text = new StringBuilder();
        line(text, columns);
        for (List<String> row : rows) {
            line(text, row);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Lower-case hex SHA-256 of {@link #bytes}. */
    public static String sha256(List<String> columns, List<List<String>> rows) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(columns, rows)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void line(StringBuilder out, List<String> cells) {
        out.append('[');
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(out, cells.get(i));
        }
        out.append("]\n");
    }

    static void string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
