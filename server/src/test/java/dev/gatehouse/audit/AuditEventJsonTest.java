package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

class AuditEventJsonTest {
    /** Events of every shape the log holds: a request with all sections, a refusal, system events, a bare one. */
    private static final List<AuditEvent> EVENTS = List.of(
            TestEvents.any(),
            TestEvents.request("system:serviceaccount:ci:deployer", "staging", "delete", "secrets", "ci", "tls\u00e9",
                    403, java.time.Instant.EPOCH),
            SystemEvents.of("approve", "reviews", "r-1", "a \"quoted\" reason\nwith a newline",
                    Map.of("reviewId", "r-1", "reviewer", "bob")),
            new AuditEvent("Event", "audit.k8s.io/v1", "Metadata", "id", "ResponseComplete", "/", "get",
                    AuditEvent.UserInfo.ANONYMOUS, null, List.of(), null, null,
                    new AuditEvent.ResponseStatus(Map.of(), "Failure", "no", "Unauthorized", 401), null, null, null,
                    new AuditEvent.Gatehouse("request", 5L, null, "refused", "token expired", 3L, 0L, 0L,
                            new AuditEvent.Authn(null, null, "sha256:ab", false, List.of(), Map.of()), null, null)),
            new AuditEvent("Event", "audit.k8s.io/v1", "Metadata", "bare", "RequestReceived", "/version", "get",
                    null, null, null, null, null, null, null, null, null, null));

    /**
     * The log hashes the bytes {@link AuditEventJson} writes, so its faster serializers (Blackbird) must write
     * exactly what plain reflective data binding writes for the same record: same fields, order and escaping.
     */
    @Test
    void writesExactlyWhatPlainDataBindingWrites() throws Exception {
        ObjectWriter plain = JsonMapper.builder().build().writerFor(AuditEvent.class);
        for (AuditEvent event : EVENTS) {
            for (AuditEvent e : List.of(event, SystemEvents.withGatehouseSection(event).withSeq(42))) {
                assertThat(new String(AuditEventJson.toBytes(e), StandardCharsets.UTF_8))
                        .isEqualTo(plain.writeValueAsString(e));
            }
        }
    }

    /** A line read back and written again is the same line (what verification and exports rely on). */
    @Test
    void aLineReadBackWritesTheSameBytes() throws Exception {
        for (AuditEvent event : EVENTS) {
            byte[] line = AuditEventJson.toBytes(event);
            assertThat(AuditEventJson.toBytes(AuditEventJson.fromBytes(line))).isEqualTo(line);
        }
    }
}
