package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private static final String VALID = """
            listen: {address: 127.0.0.1, port: 9443, certFile: tls/server.crt, keyFile: tls/server.key}
            dataDir: data
            authentication: {staticTokenFile: tokens.csv}
            clusters:
              - name: prod
                server: https://10.0.0.1:6443
                caFile: prod-ca.crt
                tokenFile: prod-token
              - name: staging
                kubeconfig: kube/config
                context: staging
            """;

    @Test
    void loadsAValidConfigResolvingPathsAgainstItsDirectory() throws IOException {
        GatehouseConfig config = ConfigLoader.load(write(VALID));
        assertThat(config.listen().port()).isEqualTo(9443);
        assertThat(config.listen().certFile()).isEqualTo(dir.resolve("tls/server.crt"));
        assertThat(config.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(config.clusters()).extracting(GatehouseConfig.ClusterConfig::name).containsExactly("prod", "staging");
        assertThat(config.clusters().get(0).credentialMode()).isEqualTo("impersonate");
        assertThat(config.describe()).contains("prod").doesNotContain("token-value");
    }

    @Test
    void namesTheKeyOfEveryError() throws IOException {
        assertError(VALID.replace("port: 9443", "port: 70000"), "listen.port: 70000 (expected: 1..65535, or 0 for any free port)");
        assertError(VALID.replace("name: prod", "name: Prod_1"), "clusters[0].name");
        assertError(VALID.replace("https://10.0.0.1:6443", "http://10.0.0.1:6443"), "clusters[0].server");
        assertError(VALID.replace("    caFile: prod-ca.crt\n", ""), "clusters[0].caFile: required");
        assertError(VALID.replace("dataDir: data", "dataDir: data\ncolour: blue"), "colour: unknown setting");
        assertError(VALID.replace("name: staging", "name: prod"), "clusters[1].name: \"prod\" is used twice");
        assertError(VALID + "maxStreamDuration: 4h\n", "maxStreamDuration");
        assertError(VALID.replace("context: staging", "context: staging\n    credentialMode: magic"),
                "clusters[1].credentialMode: \"magic\"");
    }

    @Test
    void refusesMalformedYamlWithOneLine() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write("listen: [unclosed")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private void assertError(String yaml, String expected) throws IOException {
        Path file = write(yaml);
        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected);
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("gatehouse.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
