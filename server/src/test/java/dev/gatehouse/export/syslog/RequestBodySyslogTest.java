package dev.gatehouse.export.syslog;

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

/** A write's recorded body, framed for syslog in every shape: no Secret value. */
class RequestBodySyslogTest {
    static List<Case> cases() {
        return RequestBodyCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void framesNoSecretValue(Case c) {
        byte[] line = c.line();
        for (EventShape shape : List.of(EventShape.KUBERNETES, EventShapes.named("ocsf"))) {
            byte[] framed = SyslogMessage.frame(new ExportRecord(7, "a", "2026-12-07T20:00:00.000000Z",
                    shape.shape(c.event(), line)), "gw-1", "gatehouse");
            String text = new String(framed, StandardCharsets.UTF_8);
            for (String needle : RequestBodyCases.needles()) {
                assertThat(text).as("%s", c).doesNotContain(needle);
            }
        }
    }
}
