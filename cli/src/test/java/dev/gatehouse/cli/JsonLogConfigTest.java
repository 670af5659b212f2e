package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;

/** {@code logback-json.xml}: the application log as one JSON object per line, for log pipelines. */
class JsonLogConfigTest {
    @Test
    void writesEachEventAsOneJsonLineWithLevelLoggerAndMessage() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(JsonLogConfigTest.class.getResource("/logback-json.xml"));
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        @SuppressWarnings("unchecked")
        OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                (OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>) root.getAppender("STDERR");
        LoggingEvent event = new LoggingEvent("x", context.getLogger("dev.gatehouse.chain.GatewayChain"), Level.WARN,
                "{} refused {}", null, new Object[] {"req-1", "a \"quoted\"\nline"});
        String line = new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
        assertThat(line.strip().lines()).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("level").asText()).isEqualTo("WARN");
        assertThat(json.path("loggerName").asText()).isEqualTo("dev.gatehouse.chain.GatewayChain");
        assertThat(json.path("formattedMessage").asText()).isEqualTo("req-1 refused a \"quoted\"\nline");
        context.stop();
    }
}
