package dev.gatehouse.export.webhook;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import dev.gatehouse.export.ExportRecord;

/** The request bodies of the webhook modes. */
public enum WebhookBody {
    /** One event per line, {@code application/x-ndjson}. */
    NDJSON("application/x-ndjson"),
    /** Splunk HEC: concatenated {@code {"time":…,"sourcetype":"gatehouse:audit","event":{…}}} objects. */
    SPLUNK_HEC("application/json"),
    /** OTLP/HTTP JSON {@code ExportLogsServiceRequest}: one log record per event, the event JSON as its body. */
    OTLP("application/json");

    private final String contentType;

    WebhookBody(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    byte[] encode(List<ExportRecord> batch, String hostname) {
        String quoted = new String(jsonString(hostname), StandardCharsets.UTF_8);
        String host = quoted.substring(1, quoted.length() - 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (this) {
            case NDJSON -> batch.forEach(r -> {
                out.writeBytes(r.payload());
                out.write('\n');
            });
            case SPLUNK_HEC -> batch.forEach(r -> {
                out.writeBytes(("{\"time\":" + epochSeconds(r.time()) + ",\"host\":\"" + host
                        + "\",\"source\":\"gatehouse\",\"sourcetype\":\"gatehouse:audit\",\"event\":")
                        .getBytes(StandardCharsets.UTF_8));
                out.writeBytes(r.payload());
                out.write('}');
                out.write('\n');
            });
            case OTLP -> {
                out.writeBytes(("{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                        + "\"value\":{\"stringValue\":\"gatehouse\"}},{\"key\":\"host.name\",\"value\":"
                        + "{\"stringValue\":\"" + host + "\"}}]},\"scopeLogs\":[{\"scope\":{\"name\":"
                        + "\"gatehouse.audit\"},\"logRecords\":[").getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < batch.size(); i++) {
                    ExportRecord r = batch.get(i);
                    out.writeBytes(((i == 0 ? "" : ",") + "{\"timeUnixNano\":\"" + epochNanos(r.time())
                            + "\",\"severityNumber\":9,\"severityText\":\"INFO\",\"attributes\":["
                            + "{\"key\":\"gatehouse.seq\",\"value\":{\"intValue\":\"" + r.seq() + "\"}},"
                            + "{\"key\":\"audit.id\",\"value\":{\"stringValue\":\"" + r.auditId() + "\"}}],"
                            + "\"body\":{\"stringValue\":").getBytes(StandardCharsets.UTF_8));
                    out.writeBytes(jsonString(new String(r.payload(), StandardCharsets.UTF_8)));
                    out.writeBytes("}}".getBytes(StandardCharsets.UTF_8));
                }
                out.writeBytes("]}]}]}".getBytes(StandardCharsets.UTF_8));
            }
            default -> throw new IllegalStateException();
        }
        return out.toByteArray();
    }

    private static String epochSeconds(String time) {
        Instant t = time == null ? Instant.now() : Instant.parse(time);
        return t.getEpochSecond() + "." + String.format("%06d", t.getNano() / 1000);
    }

    private static long epochNanos(String time) {
        Instant t = time == null ? Instant.now() : Instant.parse(time);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static byte[] jsonString(String s) {
        try {
            return dev.gatehouse.audit.AuditEventJson.mapper().writeValueAsBytes(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
