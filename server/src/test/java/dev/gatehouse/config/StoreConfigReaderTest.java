package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StoreConfigReaderTest {
    @TempDir
    Path dir;

    private static final String BASE = """
            listen: {address: 127.0.0.1, port: 9443, certFile: tls/server.crt, keyFile: tls/server.key}
            authentication: {staticTokenFile: tokens.csv}
            clusters:
              - {name: prod, server: "https://10.0.0.1:6443", caFile: ca.crt, tokenFile: token}
            """;

    @Test
    void theEmbeddedStoreIsTheDefault() throws IOException {
        assertThat(load(BASE).store()).isEqualTo(StoreConfig.embedded());
        assertThat(load(BASE + "store: {kind: embedded}\n").store().shared()).isFalse();
        assertThat(load(BASE).describe()).contains("store=embedded");
    }

    @Test
    void readsAPostgresStoreWithItsPasswordInAFileThatIsNeverShown() throws IOException {
        Files.writeString(dir.resolve("pg-password"), "s3cret-value\n");
        GatehouseConfig config = load(BASE + """
                store:
                  kind: postgres
                  url: jdbc:postgresql://db.internal:5433/gatehouse?sslmode=verify-full
                  user: gatehouse
                  passwordFile: pg-password
                  schema: gh_prod
                """);
        StoreConfig store = config.store();
        assertThat(store.shared()).isTrue();
        assertThat(store.passwordFile()).isEqualTo(dir.resolve("pg-password"));
        assertThat(store.schema()).isEqualTo("gh_prod");
        assertThat(store.where()).isEqualTo("db.internal:5433/gatehouse");
        assertThat(config.describe()).contains("store=postgres(db.internal:5433/gatehouse, user gatehouse")
                .doesNotContain("s3cret").doesNotContain("sslmode");
        assertThat(load(BASE + "store: {kind: postgres, url: \"jdbc:postgresql://db/gh\", user: gh}\n").store()
                .schema()).as("default schema").isEqualTo("gatehouse");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{kind: etcd}|store.kind: \"etcd\" (expected: embedded or postgres)",
        "{kind: postgres, user: gh}|store.url: missing",
        "{kind: postgres, url: \"postgres://db/gh\", user: gh}|store.url: \"postgres://db/gh\" (expected: jdbc:postgresql://",
        "{kind: postgres, url: \"jdbc:postgresql://db/gh?password=hunter2\", user: gh}|store.url: carries password",
        "{kind: postgres, url: \"jdbc:postgresql://u:hunter2@db/gh\", user: gh}|store.url: \"jdbc:postgresql://(credentials removed)@db/gh\"",
        "{kind: postgres, url: \"jdbc:postgresql://db/gh\"}|store.user: required",
        "{kind: postgres, url: \"jdbc:postgresql://db/gh\", user: gh, schema: \"x; DROP TABLE y\"}|store.schema:",
        "{kind: postgres, url: \"jdbc:postgresql://db/gh\", user: gh, passwordFile: missing}|store.passwordFile:",
        "{kind: embedded, url: \"jdbc:postgresql://db/gh\"}|settings of kind: postgres",
        "{kind: postgres, url: \"jdbc:postgresql://db/gh\", user: gh, pool: 9}|store.pool: unknown setting",
    })
    void refusesABadStoreBlockNamingTheKey(String block, String message) {
        assertThatThrownBy(() -> load(BASE + "store: " + block + "\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message).hasMessageNotContaining("hunter2");
    }

    private GatehouseConfig load(String yaml) throws IOException {
        Path file = dir.resolve("gatehouse.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file);
    }
}
