package dev.gatehouse.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON form of an {@link AuditEvent}: a single line (no newline inside), fields in the order the record
 * declares. The log hashes these exact bytes, so the form is written once and never re-serialized for
 * verification.
 */
public final class AuditEventJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new com.fasterxml.jackson.module.blackbird.BlackbirdModule())
            .build();
    private static final ObjectWriter WRITER = MAPPER.writerFor(AuditEvent.class);
    private static final ObjectReader READER = MAPPER.readerFor(AuditEvent.class);

    private AuditEventJson() {
    }

    /** The event as UTF-8 JSON bytes, without a trailing newline. */
    public static byte[] toBytes(AuditEvent event) {
        try {
            return WRITER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit event cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The event as a JSON string, without a trailing newline. */
    public static String toJson(AuditEvent event) {
        return new String(toBytes(event), StandardCharsets.UTF_8);
    }

    /** Parses one line of the log. */
    public static AuditEvent fromBytes(byte[] bytes) throws IOException {
        return READER.readValue(bytes);
    }

    /** Parses one line of the log, failing unchecked (for tests and tools that already verified the line). */
    public static AuditEvent parse(String json) {
        try {
            return READER.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shared mapper, for callers that need to write related JSON (checkpoints, exports) the same way. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
