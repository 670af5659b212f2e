package dev.gatehouse.mask;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.gatehouse.mask.detect.ValueScanner;
import io.vertx.core.buffer.Buffer;

/**
 * The ordinary-data corpus of the text detectors ({@code detect/corpus}), as JSON responses: the pods list as it is,
 * the deployments as a JSON list, and every log, git, base64 and kubectl file as ConfigMaps (one value per 20 lines,
 * as configuration files and scripts are stored). The detectors over JSON string values must leave it alone.
 */
class JsonDetectorCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TEXT_FILES = List.of("nginx.log", "java.log", "go.log", "git.log", "base64.log",
            "kubectl.txt", "tricky.log");

    static byte[] resource(String name) throws IOException {
        try (InputStream in = JsonDetectorCorpusTest.class.getResourceAsStream("/detect/corpus/" + name)) {
            return in.readAllBytes();
        }
    }

    static String mask(byte[] body) {
        JsonMasker masker = new JsonMasker(Fingerprints.with(SecretBodies.KEY), MaskPlan.NOTHING, new ValueScanner(),
                ClientView.MASKED);
        Buffer out = Buffer.buffer();
        for (int i = 0; i < body.length; i += 65536) {
            out.appendBuffer(masker.chunk(Buffer.buffer(Arrays.copyOfRange(body, i, Math.min(body.length, i + 65536)))));
        }
        return out.appendBuffer(masker.end()).toString(StandardCharsets.UTF_8);
    }

    static byte[] configMaps(String file) throws IOException {
        String[] lines = new String(resource(file), StandardCharsets.UTF_8).split("\n");
        ObjectNode list = JSON.createObjectNode().put("kind", "ConfigMapList");
        ArrayNode items = list.putArray("items");
        for (int i = 0; i < lines.length; i += 20) {
            ObjectNode cm = items.addObject().put("kind", "ConfigMap");
            cm.putObject("metadata").put("name", file + "-" + i);
            cm.putObject("data").put("content", String.join("\n", Arrays.copyOfRange(lines, i,
                    Math.min(lines.length, i + 20))));
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(list);
    }

    @Test
    void masksFewerThanOneValuePerMegabyteOfOrdinaryJson() throws IOException {
        long bytes = 0;
        long markers = 0;
        byte[] pods = resource("pods.json");
        String maskedPods = mask(pods);
        assertThat(maskedPods).as("the pods list passes unchanged").isEqualTo(new String(pods, StandardCharsets.UTF_8));
        bytes += pods.length;
        JsonNode deployments = JSON.createArrayNode();
        try (var values = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
                .readValues(resource("deployments.yaml"))) {
            while (values.hasNext()) {
                ((ArrayNode) deployments).add((JsonNode) values.next());
            }
        }
        byte[] deploymentList = JSON.writeValueAsBytes(JSON.createObjectNode().put("kind", "List")
                .set("items", deployments));
        bytes += deploymentList.length;
        markers += count(mask(deploymentList));
        for (String file : TEXT_FILES) {
            byte[] body = configMaps(file);
            bytes += body.length;
            markers += count(mask(body));
        }
        double perMegabyte = markers / (bytes / 1_000_000.0);
        System.out.printf("ordinary-data corpus as JSON: %d bytes, %d markers, %.2f markers per MB%n", bytes, markers,
                perMegabyte);
        assertThat(bytes).isGreaterThan(1_000_000);
        assertThat(perMegabyte).isLessThan(1.0);
    }

    @Test
    void findsKeysPlantedInTheCorpusJson() throws IOException {
        String planted = "aws_access_key_id = AKIAZ7QXJ4N2KD5WLM3P\\nurl: postgres://app:Pa55w0rd-x@db:5432/orders";
        String body = new String(configMaps("go.log"), StandardCharsets.UTF_8)
                .replaceFirst("\"content\" : \"", java.util.regex.Matcher.quoteReplacement("\"content\" : \"" + planted));
        String masked = mask(body.getBytes(StandardCharsets.UTF_8));
        assertThat(masked).doesNotContain("AKIAZ7QXJ4N2KD5WLM3P").doesNotContain("Pa55w0rd-x");
        assertThat(count(masked)).isEqualTo(2);
    }

    private static int count(String text) {
        int n = 0;
        for (int i = text.indexOf(Fingerprints.PREFIX); i >= 0; i = text.indexOf(Fingerprints.PREFIX, i + 1)) {
            n++;
        }
        return n;
    }
}
