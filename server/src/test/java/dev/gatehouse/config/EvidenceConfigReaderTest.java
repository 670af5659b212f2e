package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.gatehouse.evidence.ObjectStoreConfig;

/** {@code evidence.objectStore}: read strictly, every error naming its key. */
class EvidenceConfigReaderTest {
    @TempDir
    Path dir;

    private static final String BASE = """
            listen: {address: 127.0.0.1, port: 9443, certFile: tls/server.crt, keyFile: tls/server.key}
            authentication: {staticTokenFile: tokens.csv}
            clusters:
              - name: prod
                server: https://10.0.0.1:6443
                caFile: prod-ca.crt
                tokenFile: prod-token
            """;

    private GatehouseConfig load(String evidence) throws IOException {
        Files.writeString(dir.resolve("id"), "AKIDEXAMPLE\n");
        Files.writeString(dir.resolve("secret"), "s3cret\n");
        Path file = dir.resolve("gatehouse.yaml");
        Files.writeString(file, BASE + evidence);
        return ConfigLoader.load(file);
    }

    @Test
    void readsTheObjectStoreBlock() throws IOException {
        ObjectStoreConfig c = load("""
                evidence:
                  objectStore:
                    url: s3://gatehouse-evidence/prod/eu
                    endpoint: http://127.0.0.1:9000
                    region: eu-west-1
                    credentials: {accessKeyIdFile: id, secretAccessKeyFile: secret}
                    objectLock: {mode: COMPLIANCE, days: 400}
                    replica: gw-0
                    interval: 5s
                """).objectStore();
        assertThat(c.bucket()).isEqualTo("gatehouse-evidence");
        assertThat(c.prefix()).isEqualTo("prod/eu");
        assertThat(c.endpoint()).hasToString("http://127.0.0.1:9000");
        assertThat(c.objectLock()).isEqualTo(new ObjectStoreConfig.ObjectLock("COMPLIANCE", 400));
        assertThat(c.credentials().accessKeyIdFile()).isEqualTo(dir.resolve("id"));
        assertThat(c.replica()).isEqualTo("gw-0");
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.alertAfter()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void isAbsentByDefault() throws IOException {
        assertThat(load("").objectStore()).isNull();
        assertThat(load("").describe()).contains("evidence.objectStore=none");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "url: https://bucket/p|evidence.objectStore.url: \"https://bucket/p\" (expected: s3://bucket/prefix)",
            "url: s3://Bad_Bucket/p|evidence.objectStore.url: \"s3://Bad_Bucket/p\" (expected: s3://bucket/prefix)",
            "url: s3://ab/p|evidence.objectStore.url: bucket \"ab\"",
            "url: s3://bucket/a/../b|evidence.objectStore.url: prefix \"a/../b\"",
            "endpoint: ftp://host|evidence.objectStore.endpoint: \"ftp://host\"",
            "endpoint: http://user:pw@host|evidence.objectStore.endpoint",
            "region: ''|evidence.objectStore.region: required",
            "objectLock: {mode: LEGAL, days: 1}|evidence.objectStore.objectLock.mode: \"LEGAL\"",
            "objectLock: {mode: GOVERNANCE, days: 0}|evidence.objectStore.objectLock.days: 0",
            "objectLock: {mode: GOVERNANCE, days: 1, extra: 1}|evidence.objectStore.objectLock.extra",
            "replica: ../other|evidence.objectStore.replica: \"../other\"",
            "interval: 0s|evidence.objectStore.interval",
            "bucket: x|evidence.objectStore.bucket",
            "credentials: {env: true, accessKeyIdFile: id}|expected either env: true or both",
            "credentials: {accessKeyIdFile: id}|go together",
            "credentials: {accessKeyIdFile: id, secretAccessKeyFile: missing}|evidence.objectStore.credentials.secretAccessKeyFile",
            "credentials: {env: maybe}|evidence.objectStore.credentials.env: \"maybe\""})
    void refusesABadSettingNamingIt(String override, String expected) {
        String key = override.substring(0, override.indexOf(':'));
        StringBuilder block = new StringBuilder("evidence:\n  objectStore:\n");
        String[][] defaults = {{"url", "s3://bucket/p"}, {"region", "us-east-1"},
                {"credentials", "{accessKeyIdFile: id, secretAccessKeyFile: secret}"}};
        for (String[] d : defaults) {
            if (!d[0].equals(key)) {
                block.append("    ").append(d[0]).append(": ").append(d[1]).append('\n');
            }
        }
        block.append("    ").append(override).append('\n');
        assertThatThrownBy(() -> load(block.toString())).isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void credentialsAreRequired() {
        assertThatThrownBy(() -> load("evidence:\n  objectStore: {url: s3://bucket/p, region: us-east-1}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("evidence.objectStore.credentials: required");
    }

    @Test
    void unknownKeysUnderEvidenceAreRefused() {
        assertThatThrownBy(() -> load("evidence:\n  objectstore: {}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("evidence.objectstore");
    }
}
