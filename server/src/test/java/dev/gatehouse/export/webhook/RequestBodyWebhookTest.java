package dev.gatehouse.export.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatehouse.export.setup.EventShapes;
import dev.gatehouse.export.EventShape;
import dev.gatehouse.export.ExportRecord;
import dev.gatehouse.mask.RequestBodyCases;
import dev.gatehouse.mask.RequestBodyCases.Case;

/** A write's recorded body, in every webhook body (NDJSON, Splunk HEC, OTLP) and shape: no Secret value. */
class RequestBodyWebhookTest {
    static List<Case> cases() {
        return RequestBodyCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sendsNoSecretValueInAnyWebhookBody(Case c) {
        byte[] line = c.line();
        for (EventShape shape : List.of(EventShape.KUBERNETES, EventShapes.named("ocsf"))) {
            ExportRecord record = new ExportRecord(7, "a", "2026-12-07T20:00:00.000000Z", shape.shape(c.event(), line));
            for (WebhookBody body : WebhookBody.values()) {
                String sent = new String(body.encode(List.of(record), "gw-1"), StandardCharsets.UTF_8);
                assertThat(sent).as("%s as %s", c, body).contains("gatehouse");
                for (String needle : RequestBodyCases.needles()) {
                    assertThat(sent).as("%s as %s", c, body).doesNotContain(needle);
                }
            }
        }
    }
}
