package dev.gatehouse.export.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.export.setup.EventShapes;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.export.EventShape;
import dev.gatehouse.export.ExportFixture;
import dev.gatehouse.export.LogExporter;

@Timeout(60)
class WebhookExportTest {
    @TempDir
    Path tmp;

    @Test
    void splunkHecReceiverGetsEveryEventExactlyOnceAfterRefusingSomeBatches() throws Exception {
        List<String> ids = new CopyOnWriteArrayList<>();
        List<String> auth = new CopyOnWriteArrayList<>();
        AtomicInteger refuse = new AtomicInteger(3);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/services/collector/event", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            auth.add(exchange.getRequestHeaders().getFirst("Authorization"));
            if (refuse.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
                JsonNode hec = AuditEventJson.mapper().readTree(line);
                assertThat(hec.get("sourcetype").asText()).isEqualTo("gatehouse:audit");
                ids.add(hec.get("event").get("auditID").asText());
            }
            byte[] ok = "{\"text\":\"Success\",\"code\":0}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/services/collector/event");
        try (ExportFixture fx = new ExportFixture(tmp);
             LogExporter exporter = new LogExporter(fx.config("splunk", EventShape.KUBERNETES),
                     new WebhookSink(url, WebhookBody.SPLUNK_HEC, "hec-token", "gw-1", Duration.ofSeconds(5), null),
                     fx.log::size).start()) {
            fx.append(120);
            ExportFixture.await("all delivered", () -> ids.size() >= 120);
            Thread.sleep(300);
            assertThat(ids).containsExactlyElementsOf(fx.auditIds);
            assertThat(auth).containsOnly("Splunk hec-token");
            assertThat(exporter.stats().failures()).isEqualTo(3);
            assertThat(exporter.stats().lag()).isZero();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void otlpBodyCarriesOneLogRecordPerEvent() throws Exception {
        List<JsonNode> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/logs", exchange -> {
            bodies.add(AuditEventJson.mapper().readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/logs");
        try (ExportFixture fx = new ExportFixture(tmp);
             LogExporter exporter = new LogExporter(fx.config("otel", EventShapes.named("ocsf")),
                     new WebhookSink(url, WebhookBody.OTLP, null, "gw-1", Duration.ofSeconds(5), null),
                     fx.log::size).start()) {
            fx.append(5);
            ExportFixture.await("delivered", () -> exporter.stats().cursor() == 5);
            JsonNode record = bodies.getFirst().at("/resourceLogs/0/scopeLogs/0/logRecords/0");
            assertThat(record.at("/attributes/1/value/stringValue").asText()).isEqualTo(fx.auditIds.getFirst());
            JsonNode ocsf = AuditEventJson.mapper().readTree(record.at("/body/stringValue").asText());
            assertThat(ocsf.get("class_uid").asInt()).isEqualTo(6003);
            assertThat(ocsf.get("activity_id").asInt()).isEqualTo(4);
        } finally {
            server.stop(0);
        }
    }
}
