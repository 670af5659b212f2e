package dev.gatehouse.export.syslog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import dev.gatehouse.export.ExportRecord;

/**
 * An RFC 5424 message for one event: facility log audit (13), severity informational, MSGID {@code audit},
 * structured data {@code [gatehouse@32473 seq="…" auditID="…"]}, the event JSON as MSG; framed for TCP as
 * {@code <length> SP <message>} (octet counting).
 */
final class SyslogMessage {
    static final int PRI = 13 * 8 + 6;

    private SyslogMessage() {
    }

    static byte[] frame(ExportRecord r, String hostname, String appName) {
        String header = "<" + PRI + ">1 " + (r.time() == null ? "-" : r.time()) + " " + hostname + " " + appName
                + " - audit [gatehouse@32473 seq=\"" + r.seq() + "\" auditID=\"" + escape(r.auditId()) + "\"] ";
        byte[] head = header.getBytes(StandardCharsets.UTF_8);
        int length = head.length + r.payload().length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 12);
        out.writeBytes((length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(head);
        out.writeBytes(r.payload());
        return out.toByteArray();
    }

    /** SD-PARAM values escape {@code "}, {@code \} and {@code ]}. */
    private static String escape(String v) {
        return v == null ? "" : v.replace("\\", "\\\\").replace("\"", "\\\"").replace("]", "\\]");
    }
}
