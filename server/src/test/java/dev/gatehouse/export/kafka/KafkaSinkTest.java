package dev.gatehouse.export.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.config.SaslConfigs;
import org.junit.jupiter.api.Test;

import dev.gatehouse.export.ExportRecord;

/** The producer's settings: durable acknowledgement, TLS and SASL as configured, the password only in JAAS. */
class KafkaSinkTest {
    @Test
    void producesIdempotentlyWithEveryReplicaAcknowledging() {
        Properties p = KafkaSink.producerProperties(settings(true, null), "gw", Duration.ofSeconds(10));
        assertThat(p).containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
                .containsEntry("security.protocol", "SSL").containsEntry("ssl.endpoint.identification.algorithm", "https")
                .containsEntry("ssl.truststore.type", "PEM").containsEntry("ssl.truststore.location", "/etc/ca.crt")
                .containsEntry("max.block.ms", "10000").containsEntry("bootstrap.servers", "k1:9093,k2:9093");
        assertThat(p).doesNotContainKey(SaslConfigs.SASL_JAAS_CONFIG);
    }

    @Test
    void scramOverTlsCarriesTheCredentialOnlyInTheJaasLineQuoted() {
        Properties p = KafkaSink.producerProperties(settings(true, "SCRAM-SHA-512"), "gw", Duration.ofSeconds(10));
        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(p.getProperty(SaslConfigs.SASL_JAAS_CONFIG)).isEqualTo(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"gatehouse\""
                        + " password=\"p\\\"w;d\\\\\";");
        assertThat(settings(true, "SCRAM-SHA-512").toString()).doesNotContain("p\"w;d");
    }

    @Test
    void plaintextOnlyWhenAskedFor() {
        assertThat(KafkaSink.producerProperties(settings(false, null), "gw", Duration.ofSeconds(1)))
                .containsEntry("security.protocol", "PLAINTEXT");
        assertThat(KafkaSink.producerProperties(settings(false, "SCRAM-SHA-256"), "gw", Duration.ofSeconds(1)))
                .containsEntry("security.protocol", "SASL_PLAINTEXT");
    }

    @Test
    void anUnresolvableBrokerFailsEachDeliveryInsteadOfTheStart() throws Exception {
        KafkaSink sink = new KafkaSink(new KafkaSink.Settings(List.of("no-such-broker.invalid:9093"), "audit", true,
                null, null, null, null), "gw", Duration.ofSeconds(1));
        ExportRecord record = new ExportRecord(0, "id-0", "2026-12-04T00:00:00Z", "{}".getBytes());
        assertThatThrownBy(() -> sink.deliver(List.of(record))).isInstanceOf(IOException.class)
                .hasMessageContaining("kafka no-such-broker.invalid:9093 topic audit");
        assertThatThrownBy(() -> sink.deliver(List.of(record))).isInstanceOf(IOException.class);
        sink.close();
    }

    private static KafkaSink.Settings settings(boolean tls, String mechanism) {
        return new KafkaSink.Settings(List.of("k1:9093", "k2:9093"), "audit", tls, "/etc/ca.crt", mechanism,
                "gatehouse", "p\"w;d\\");
    }
}
