package dev.gatehouse.cli.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

class KubeconfigServersTest {
    @TempDir
    Path dir;

    static String serverOf(JsonNode root, String cluster) {
        for (JsonNode c : root.path("clusters")) {
            if (c.path("name").asText().equals(cluster)) {
                return c.path("cluster").path("server").asText();
            }
        }
        throw new AssertionError("no cluster " + cluster + " in " + root);
    }

    @Test
    void writesTheUrlTheGatewayNamesForEachClusterAndThePathPrefixOtherwise() throws IOException {
        Path file = dir.resolve("config");
        Map<String, String> servers = new LinkedHashMap<>();
        servers.put("prod", "https://prod.gw.example.com:8443");
        servers.put("dev", "https://gw.example.com:8443");
        servers.put("staging", "https://gw.example.com:8443/clusters/staging");
        Kubeconfig.write(file, "https://gw.example.com:8443", null, List.of("prod", "dev", "staging", "qa"), servers,
                List.of("gatehouse"));
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        assertThat(serverOf(root, "gatehouse-prod")).isEqualTo("https://prod.gw.example.com:8443");
        assertThat(serverOf(root, "gatehouse-dev")).isEqualTo("https://gw.example.com:8443");
        assertThat(serverOf(root, "gatehouse-staging")).isEqualTo("https://gw.example.com:8443/clusters/staging");
        assertThat(serverOf(root, "gatehouse-qa")).isEqualTo("https://gw.example.com:8443/clusters/qa");
        // the credential plugin still asks the gateway the user logged in to, whatever the cluster's URL
        List<String> args = new java.util.ArrayList<>();
        root.path("users").get(0).path("user").path("exec").path("args").forEach(a -> args.add(a.asText()));
        assertThat(args).containsSubsequence("credential", "--server", "https://gw.example.com:8443");
    }

    @Test
    void fallsBackToThePathPrefixForUrlsItWillNotWrite() throws IOException {
        Path file = dir.resolve("config");
        Map<String, String> servers = new LinkedHashMap<>();
        servers.put("a", "http://gw.example.com");
        servers.put("b", "https://user@gw.example.com");
        servers.put("c", "https://gw.example.com/?x=1");
        servers.put("d", "https://gw.example.com/elsewhere");
        servers.put("e", "not a url");
        servers.put("f", "https://gw.example.com#frag");
        Kubeconfig.write(file, "https://gw.example.com", null, List.of("a", "b", "c", "d", "e", "f"), servers,
                List.of("gatehouse"));
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        for (String c : List.of("a", "b", "c", "d", "e", "f")) {
            assertThat(serverOf(root, "gatehouse-" + c)).isEqualTo("https://gw.example.com/clusters/" + c);
        }
    }
}
