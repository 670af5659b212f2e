package dev.gatehouse.export.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.export.setup.EventShapes;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.export.EventShape;
import dev.gatehouse.export.ExportFixture;
import dev.gatehouse.export.LogExporter;

/**
 * The Kafka exporter against a real broker (Apache Kafka's own server, KRaft, in a child JVM): every event
 * arrives as one record keyed by its audit id with its log position; a broker killed mid-export and a topic that
 * does not exist yet lose nothing, and a record seen twice after a retry is the same event at the same position.
 */
@Timeout(240)
class KafkaExportTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** How long a restarted broker or a new topic may take until the exporter has caught up. */
    private static final Duration RECOVERY = Duration.ofSeconds(90);
    @TempDir
    static Path brokerDir;
    private static KafkaBroker broker;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.format(brokerDir);
        broker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyEventArrivesOnceKeyedByItsAuditIdWithItsPosition() throws Exception {
        String topic = createTopic();
        try (ExportFixture fx = new ExportFixture(tmp);
             LogExporter exporter = new LogExporter(fx.config("kafka", EventShape.KUBERNETES), sink(topic),
                     fx.log::size).start()) {
            fx.append(120);
            ExportFixture.await("all delivered", () -> exporter.stats().cursor() == 120);
            List<ConsumerRecord<String, byte[]>> records = consume(topic, 120);
            assertThat(records).extracting(ConsumerRecord::key).containsExactlyElementsOf(fx.auditIds);
            for (int i = 0; i < records.size(); i++) {
                ConsumerRecord<String, byte[]> r = records.get(i);
                assertThat(header(r, KafkaSink.SEQ_HEADER)).isEqualTo(Long.toString(i));
                assertThat(header(r, KafkaSink.AUDIT_ID_HEADER)).isEqualTo(r.key());
                assertThat(AuditEventJson.mapper().readTree(r.value()).get("auditID").asText()).isEqualTo(r.key());
            }
            assertThat(exporter.stats().failures()).isZero();
            assertThat(exporter.stats().lag()).isZero();
        }
    }

    @Test
    void aBrokerKilledMidExportLosesNothingAndARepeatIsTheSameEventAtTheSamePosition() throws Exception {
        String topic = createTopic();
        try (ExportFixture fx = new ExportFixture(tmp);
             LogExporter exporter = new LogExporter(fx.config("kafka", EventShape.KUBERNETES), sink(topic),
                     fx.log::size).start()) {
            fx.append(40);
            ExportFixture.await("first events delivered", () -> exporter.stats().cursor() == 40);
            broker.kill();
            fx.append(80);
            ExportFixture.await("deliveries failing while the broker is down", () -> exporter.stats().failures() > 0);
            assertThat(exporter.stats().cursor()).isEqualTo(40);
            assertThat(exporter.stats().lag()).isEqualTo(80);
            broker.start();
            ExportFixture.await("caught up after the restart", RECOVERY, () -> exporter.stats().cursor() == 120);
            List<ConsumerRecord<String, byte[]>> records = consume(topic, 120);
            Set<String> distinct = new LinkedHashSet<>();
            for (ConsumerRecord<String, byte[]> r : records) {
                int seq = Integer.parseInt(header(r, KafkaSink.SEQ_HEADER));
                assertThat(r.key()).as("record at position %d", seq).isEqualTo(fx.auditIds.get(seq));
                distinct.add(r.key());
            }
            assertThat(distinct).containsExactlyElementsOf(fx.auditIds);
            assertThat(exporter.stats().lag()).isZero();
        }
    }

    @Test
    void aMissingTopicIsRetriedUntilItExistsNeverSkipped() throws Exception {
        String topic = "gatehouse-later-" + UUID.randomUUID();
        try (ExportFixture fx = new ExportFixture(tmp);
             LogExporter exporter = new LogExporter(fx.config("kafka", EventShapes.named("ocsf")), sink(topic),
                     fx.log::size).start()) {
            fx.append(10);
            ExportFixture.await("deliveries failing without the topic", () -> exporter.stats().failures() > 0);
            assertThat(exporter.stats().cursor()).isZero();
            createTopic(topic);
            ExportFixture.await("delivered once the topic exists", RECOVERY, () -> exporter.stats().cursor() == 10);
            List<ConsumerRecord<String, byte[]>> records = consume(topic, 10);
            assertThat(records.stream().map(ConsumerRecord::key).distinct()).containsExactlyElementsOf(fx.auditIds);
            assertThat(AuditEventJson.mapper().readTree(records.getFirst().value()).get("class_uid").asInt())
                    .isEqualTo(6003);
        }
    }

    private static KafkaSink sink(String topic) {
        return new KafkaSink(new KafkaSink.Settings(List.of(broker.bootstrap()), topic, false, null, null, null, null),
                "gatehouse-test", TIMEOUT);
    }

    private static String createTopic() throws Exception {
        return createTopic("gatehouse-audit-" + UUID.randomUUID());
    }

    private static String createTopic(String topic) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        return topic;
    }

    /** Reads the topic's single partition from the start until at least {@code n} records (or 30 s). */
    private static List<ConsumerRecord<String, byte[]>> consume(String topic, int n) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                Map<TopicPartition, Long> end = consumer.endOffsets(List.of(partition));
                if (out.size() >= n && consumer.position(partition) >= end.get(partition)) {
                    break;
                }
            }
        }
        assertThat(out.size()).as("records read from " + topic).isGreaterThanOrEqualTo(n);
        return out;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
