package dev.gatehouse.e2e.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.junit.jupiter.api.Test;

/**
 * The Helm chart ({@code deploy/helm/gatehouse}) without a helm binary (none is installed here, and helm v4 does
 * not build with this machine's Go 1.19): this does NOT render the chart. It checks what can be checked honestly
 * without Helm's template engine — Chart.yaml, that every {@code .Values} path a template reads exists in
 * values.yaml, that {@code if}/{@code define} blocks are closed, and that the chart's RBAC rules, replicas and
 * probes are the kustomize base's (which the apiserver test dry-runs).
 */
class HelmChartTest {
    private static final Path CHART = Path.of("..", "deploy", "helm", "gatehouse").toAbsolutePath().normalize();
    private static final Path BASE = Path.of("..", "deploy", "kustomize", "base").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VALUES = Pattern.compile("\\.Values((?:\\.[A-Za-z][A-Za-z0-9]*)+)");
    private static final Pattern ACTION = Pattern.compile("\\{\\{-?\\s*(if|define|range|with|end)\\b");

    private static List<Path> templates() throws Exception {
        try (Stream<Path> files = Files.list(CHART.resolve("templates"))) {
            return files.sorted().toList();
        }
    }

    @Test
    void chartYamlNamesAV2Chart() throws Exception {
        JsonNode chart = YAML.readTree(CHART.resolve("Chart.yaml").toFile());
        assertThat(chart.path("apiVersion").asText()).isEqualTo("v2");
        assertThat(chart.path("name").asText()).isEqualTo("gatehouse");
        assertThat(chart.path("version").asText()).matches("\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void everyValueATemplateReadsIsDefined() throws Exception {
        JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
        List<String> missing = new ArrayList<>();
        int refs = 0;
        for (Path t : templates()) {
            Matcher m = VALUES.matcher(Files.readString(t));
            while (m.find()) {
                refs++;
                String path = m.group(1).replace('.', '/');
                if (values.at(path).isMissingNode()) {
                    missing.add(t.getFileName() + ": .Values" + m.group(1));
                }
            }
        }
        assertThat(refs).isGreaterThan(10);
        assertThat(missing).isEmpty();
    }

    @Test
    void everyBlockIsClosed() throws Exception {
        for (Path t : templates()) {
            int depth = 0;
            Matcher m = ACTION.matcher(Files.readString(t));
            while (m.find()) {
                depth += m.group(1).equals("end") ? -1 : 1;
                assertThat(depth).as(t + ": an end without a block").isGreaterThanOrEqualTo(0);
            }
            assertThat(depth).as(t + ": unclosed blocks").isZero();
        }
    }

    @Test
    void theChartGrantsTheSameRbacAndRunsTheSameReplicasAndProbesAsTheKustomizeBase() throws Exception {
        assertThat(rules(CHART.resolve("templates/rbac.yaml"))).isEqualTo(rules(BASE.resolve("rbac.yaml")));
        JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
        JsonNode base = YAML.readTree(BASE.resolve("deployment.yaml").toFile());
        assertThat(values.path("replicas").asInt()).isEqualTo(base.at("/spec/replicas").asInt()).isEqualTo(3);
        String chartDeployment = Files.readString(CHART.resolve("templates/deployment.yaml"));
        assertThat(chartDeployment).contains("httpGet: {path: /readyz, port: https, scheme: HTTPS}")
                .contains("httpGet: {path: /livez, port: https, scheme: HTTPS}");
        JsonNode pdb = YAML.readTree(BASE.resolve("pdb.yaml").toFile());
        assertThat(values.at("/pdb/minAvailable").asInt()).isEqualTo(pdb.at("/spec/minAvailable").asInt());
    }

    /** The ClusterRoles' rules, with template expressions blanked so the file parses as YAML. */
    private static List<JsonNode> rules(Path file) throws Exception {
        String text = Files.readString(file).replaceAll("\\{\\{-?[^}]*}}", "x");
        List<JsonNode> out = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(text)) {
            var docs = new ObjectMapper().readValues(parser, JsonNode.class);
            while (docs.hasNext()) {
                JsonNode d = docs.next();
                if ("ClusterRole".equals(d.path("kind").asText())) {
                    out.add(d.path("rules"));
                }
            }
        }
        assertThat(out).hasSize(2);
        return out;
    }
}
