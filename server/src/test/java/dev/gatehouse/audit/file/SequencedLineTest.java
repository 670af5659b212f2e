package dev.gatehouse.audit.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.SystemEvents;
import dev.gatehouse.audit.TestEvents;
import dev.gatehouse.audit.merkle.MerkleHash;

class SequencedLineTest {
    private static final List<AuditEvent> EVENTS = List.of(
            TestEvents.any(),
            SystemEvents.of("approve", "reviews", "r-1", "\"seq\":9223372036854775807 in a reason",
                    Map.of("seq", "\"gatehouse\":{\"seq\":9223372036854775807")),
            new AuditEvent("Event", "audit.k8s.io/v1", "Metadata", "id", "ResponseComplete", "/", "get", null, null,
                    null, null, null, null, null, null, Map.of("gatehouse", "{\"seq\":1}"), null));

    @ParameterizedTest
    @ValueSource(longs = {0, 7, 42, 1_000_000, Long.MAX_VALUE - 1})
    void splicedLineEqualsSerializingWithThePosition(long seq) throws Exception {
        for (AuditEvent event : EVENTS) {
            byte[] expected = AuditEventJson.toBytes(SystemEvents.withGatehouseSection(event).withSeq(seq));
            SequencedLine line = SequencedLine.of(event);
            byte[] digits = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
            ByteBuffer out = ByteBuffer.allocate(line.length(digits));
            MessageDigest leaf = MessageDigest.getInstance("SHA-256");
            leaf.update((byte) 0);
            line.writeTo(out, digits, leaf);
            assertThat(new String(out.array(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
            assertThat(Arrays.equals(leaf.digest(), MerkleHash.leaf(expected))).isTrue();
        }
    }
}
