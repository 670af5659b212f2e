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
        assertError(VALID + "maxStreamDuration: 4 hours\n", "maxStreamDuration: \"4 hours\" (expected: a positive duration");
        assertError(VALID + "policy: {path: no-such-policy.yaml}\n", "policy.path: ");
        assertError(VALID + "reviews: {holdTime: 0s}\n", "reviews.holdTime");
        assertError(VALID + "reviews: {grants: {approvals: 0}}\n", "reviews.grants.approvals: 0 (expected: at least 1)");
        assertError(VALID + "reviews:\n  notify:\n    - {name: chat, url: \"http://127.evil.example/hook\"}\n",
                "reviews.notify[0].url");
        assertError(VALID + "reviews:\n  notify:\n    - {name: \"a b\", url: \"https://hooks.example/x\"}\n",
                "reviews.notify[0].name: 'a b' (expected: letters, digits");
        assertError(VALID + "reviews:\n  notify:\n    - {name: chat, url: \"https://u:p@hooks.example/x\"}\n",
                "reviews.notify[0].url: https://hooks.example");
        assertError(VALID + "reviews:\n  notify:\n    - {name: chat, url: \"https://a.example/x\"}\n"
                + "    - {name: chat, url: \"https://b.example/x\"}\n", "reviews.notify[1].name: \"chat\" given twice");
        assertError(VALID + "reviews:\n  notify:\n    - {name: chat, url: \"https://hooks.example/x\", format: xml}\n",
                "reviews.notify[0].format: \"xml\" (expected: slack or json)");
        assertError(VALID.replace("context: staging", "context: staging\n    credentialMode: magic"),
                "clusters[1].credentialMode: \"magic\"");
    }

    @Test
    void readsTheAuditSectionAndNamesItsErrors() throws IOException {
        GatehouseConfig config = ConfigLoader.load(write(VALID + """
                audit:
                  verifyInterval: PT30S
                  retention: {hot: P90D, keep: P365D, archiveDir: archive}
                  exporters:
                    - {name: siem-file, type: file, directory: siem, shape: ocsf}
                    - {name: splunk, type: webhook, url: https://splunk.example.com:8088/services/collector, format: splunk-hec, tokenFile: hec-token}
                    - {name: syslog, type: syslog, host: logs.example.com, port: 6514}
                """));
        assertThat(config.audit().retention().archiveDir()).isEqualTo(dir.resolve("archive"));
        assertThat(config.audit().exporters()).extracting(GatehouseConfig.ExporterConfig::type)
                .containsExactly("file", "webhook", "syslog");
        assertThat(config.audit().exporters().get(2).tls()).isTrue();

        assertError(VALID + "audit: {exporters: [{name: x, type: cef}]}\n", "audit.exporters[0].type: \"cef\"");
        assertError(VALID + "audit: {exporters: [{name: x, type: webhook, url: http://siem.example.com}]}\n",
                "audit.exporters[0].url");
        assertError(VALID + "audit: {exporters: [{name: x, type: file, directory: a, shape: cef}]}\n",
                "audit.exporters[0].shape");
        assertError(VALID + "audit: {retention: {hot: P400D, keep: P365D}}\n", "audit.retention.keep");
        assertError(VALID + "audit: {exporters: [{name: a, type: file, directory: x}, {name: a, type: file, directory: y}]}\n",
                "audit.exporters[1].name");
    }

    @Test
    void readsKafkaExportersAndRefusesOnesThatWouldSendEvidenceOrPasswordsInClear() throws IOException {
        Files.writeString(dir.resolve("kafka-password"), "s3cret\n");
        GatehouseConfig config = ConfigLoader.load(write(VALID + """
                audit:
                  exporters:
                    - {name: kafka, type: kafka, bootstrapServers: [kafka-1.example.com:9093, kafka-2.example.com:9093],
                       topic: gatehouse.audit, caFile: kafka-ca.crt, saslMechanism: SCRAM-SHA-512, username: gatehouse,
                       passwordFile: kafka-password}
                    - {name: local, type: kafka, bootstrapServers: ["127.0.0.1:9092"], topic: audit, tls: false}
                """));
        GatehouseConfig.ExporterConfig kafka = config.audit().exporters().getFirst();
        assertThat(kafka.tls()).isTrue();
        assertThat(kafka.kafka().bootstrapServers()).containsExactly("kafka-1.example.com:9093", "kafka-2.example.com:9093");
        assertThat(kafka.kafka().topic()).isEqualTo("gatehouse.audit");
        assertThat(kafka.kafka().saslMechanism()).isEqualTo("SCRAM-SHA-512");
        assertThat(kafka.kafka().passwordFile()).isEqualTo(dir.resolve("kafka-password"));
        assertThat(config.audit().exporters().get(1).tls()).isFalse();

        String kafkaAt = VALID + "audit: {exporters: [{name: k, type: kafka, %s}]}\n";
        assertError(kafkaAt.formatted("topic: audit"), "audit.exporters[0].bootstrapServers: missing");
        assertError(kafkaAt.formatted("bootstrapServers: [kafka.example.com], topic: audit"),
                "audit.exporters[0].bootstrapServers: \"kafka.example.com\" (expected: host:port)");
        assertError(kafkaAt.formatted("bootstrapServers: [\"a:1,b:2\"], topic: audit"),
                "audit.exporters[0].bootstrapServers");
        assertError(kafkaAt.formatted("bootstrapServers: [kafka.example.com:9092], topic: audit, tls: false"),
                "audit.exporters[0].tls: false with broker \"kafka.example.com:9092\"");
        assertError(kafkaAt.formatted("bootstrapServers: [kafka.example.com:9093], topic: ../etc"),
                "audit.exporters[0].topic: \"../etc\"");
        assertError(kafkaAt.formatted("bootstrapServers: [kafka.example.com:9093]"), "audit.exporters[0].topic");
        assertError(kafkaAt.formatted("bootstrapServers: [kafka.example.com:9093], topic: a, saslMechanism: GSSAPI,"
                + " username: u, passwordFile: kafka-password"), "audit.exporters[0].saslMechanism: \"GSSAPI\"");
        assertError(kafkaAt.formatted("bootstrapServers: [\"127.0.0.1:9092\"], topic: a, tls: false,"
                + " saslMechanism: PLAIN, username: u, passwordFile: kafka-password"),
                "audit.exporters[0].saslMechanism: PLAIN without TLS");
        assertError(kafkaAt.formatted("bootstrapServers: [kafka.example.com:9093], topic: a, saslMechanism: PLAIN,"
                + " passwordFile: kafka-password"), "audit.exporters[0].username");
        assertError(kafkaAt.formatted("bootstrapServers: [kafka.example.com:9093], topic: a, username: u"),
                "audit.exporters[0].saslMechanism: missing");
    }

    @Test
    void readsAuditReadersAndLetsNobodyReadByDefault() throws IOException {
        assertThat(ConfigLoader.load(write(VALID)).audit().readers().groups()).isEmpty();
        assertThat(ConfigLoader.load(write(VALID)).audit().readers().users()).isEmpty();
        GatehouseConfig config = ConfigLoader.load(write(VALID + """
                audit:
                  readers: {groups: [auditors, "oidc:security"], users: [carol]}
                """));
        assertThat(config.audit().readers().groups()).containsExactly("auditors", "oidc:security");
        assertThat(config.audit().readers().users()).containsExactly("carol");
        assertThat(config.describe()).contains("auditReaders=users[carol] groups[auditors, oidc:security]");
        assertError(VALID + "audit: {readers: {roles: [x]}}\n", "audit.readers");
        assertError(VALID + "audit: {readers: {users: [\"\"]}}\n", "audit.readers.users");
    }

    @Test
    void readsKeyAdminsApartFromReadersAndLetsNobodyRotateByDefault() throws IOException {
        assertThat(ConfigLoader.load(write(VALID)).audit().keyAdmins().groups()).isEmpty();
        assertThat(ConfigLoader.load(write(VALID)).audit().keyAdmins().users()).isEmpty();
        GatehouseConfig config = ConfigLoader.load(write(VALID + """
                audit:
                  readers: {groups: [auditors]}
                  keyAdmins: {groups: [security-officers], users: [erin]}
                """));
        assertThat(config.audit().keyAdmins().groups()).containsExactly("security-officers");
        assertThat(config.audit().keyAdmins().users()).containsExactly("erin");
        assertThat(config.audit().readers().users()).isEmpty();
        assertThat(config.describe()).contains("auditKeyAdmins=users[erin] groups[security-officers]");
        assertError(VALID + "audit: {keyAdmins: {roles: [x]}}\n", "audit.keyAdmins");
        assertError(VALID + "audit: {keyAdmins: {groups: [\" \"]}}\n", "audit.keyAdmins.groups");
    }

    @Test
    void refusesAnExporterCaFileWithoutCertificatesAtStart() throws IOException {
        Files.writeString(dir.resolve("empty-ca.crt"), "");
        GatehouseConfig config = ConfigLoader.load(write(VALID
                + "audit: {exporters: [{name: siem, type: syslog, host: 127.0.0.1, caFile: empty-ca.crt}]}\n"));
        assertThatThrownBy(() -> dev.gatehouse.export.setup.ExporterSinks.create(config.audit().exporters().get(0), "gw"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("audit.exporters[0].caFile").hasMessageContaining("expected: PEM certificates");
    }

    @Test
    void readsHostNamesAndTheDefaultCluster() throws IOException {
        GatehouseConfig config = ConfigLoader.load(write(VALID.replace("    tokenFile: prod-token\n",
                "    tokenFile: prod-token\n    hostNames: [prod.gw.example.com, prod.internal.example.com]\n")
                + "defaultCluster: staging\n"));
        assertThat(config.clusters().get(0).hostNames())
                .containsExactly("prod.gw.example.com", "prod.internal.example.com");
        assertThat(config.clusters().get(1).hostNames()).isEmpty();
        assertThat(config.defaultCluster()).isEqualTo("staging");
        assertThat(config.describe()).contains("hostNames [prod.gw.example.com, prod.internal.example.com]")
                .contains("defaultCluster=staging");
        assertThat(ConfigLoader.load(write(VALID)).defaultCluster()).isNull();
    }

    @Test
    void namesTheKeyOfHostNameAndDefaultClusterErrors() throws IOException {
        assertError(VALID + "defaultCluster: qa\n", "defaultCluster: \"qa\" (expected: one of [prod, staging])");
        String prodHosts = "    tokenFile: prod-token\n    hostNames: [%s]\n";
        for (String bad : new String[] {"Prod.gw.example.com", "prod.gw.example.com.", "\"*.gw.example.com\"",
                "prod.gw.example.com:8443", "prod", "10.0.0.1", "prod_1.example.com", "-prod.example.com",
                "prod.example.com/x", "''"}) {
            assertError(VALID.replace("    tokenFile: prod-token\n", prodHosts.formatted(bad)),
                    "clusters[0].hostNames: ");
        }
        assertError(VALID.replace("    tokenFile: prod-token\n", prodHosts.formatted("a.example.com, a.example.com")),
                "clusters[0].hostNames: \"a.example.com\" is already a host name of this cluster");
        assertError(VALID.replace("    tokenFile: prod-token\n", prodHosts.formatted("a.example.com"))
                        .replace("    context: staging\n", "    context: staging\n    hostNames: [a.example.com]\n"),
                "clusters[1].hostNames: \"a.example.com\" is already a host name of cluster prod");
        assertError(VALID.replace("    tokenFile: prod-token\n", "    tokenFile: prod-token\n    hostNames: {a: b}\n"),
                "clusters[0].hostNames: expected a list of strings");
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
