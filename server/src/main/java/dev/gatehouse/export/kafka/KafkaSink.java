package dev.gatehouse.export.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.gatehouse.export.ExportRecord;
import dev.gatehouse.export.ExportSink;

/**
 * Produces each event as one Kafka record to a topic: key the audit id, value the shaped event, headers
 * {@value #SEQ_HEADER} (the log position) and {@value #AUDIT_ID_HEADER}. The producer is idempotent with
 * {@code acks=all}, so a batch counts as delivered only when every in-sync replica has each of its records; any
 * failure (broker down, topic missing, authorization refused, timeout) throws and the exporter retries the whole
 * batch; a send refused at once (the brokers gone, the topic missing) ends the attempt there instead of waiting
 * for each of the batch's records in turn. A retried batch can put a record on the topic twice; both copies carry the same audit id and position.
 * The producer is Apache Kafka's own client ({@code kafka-clients}); the password is read once and never logged.
 */
public final class KafkaSink implements ExportSink {
    public static final String SEQ_HEADER = "gatehouse-seq";
    public static final String AUDIT_ID_HEADER = "gatehouse-audit-id";

    private final String topic;
    private final String description;
    private final Duration timeout;
    private final Supplier<Producer<String, byte[]>> factory;
    private Producer<String, byte[]> producer;

    /**
     * The connection settings of one exporter.
     *
     * @param bootstrapServers host:port of one or more brokers
     * @param topic            where the events go (it must exist, or the brokers must create it)
     * @param tls              TLS to the brokers (then {@code caFile}, or the JVM's trust store when null)
     * @param caFile           PEM CAs trusted for the brokers' certificates, or null
     * @param saslMechanism    PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, or null for no SASL
     * @param username         the SASL user, with {@code password}
     * @param password         the SASL password, or null
     */
    public record Settings(List<String> bootstrapServers, String topic, boolean tls, String caFile,
                           String saslMechanism, String username, String password) {
        public Settings {
            bootstrapServers = List.copyOf(bootstrapServers);
        }

        @Override
        public String toString() {
            return "Settings[" + bootstrapServers + ", topic " + topic + ", tls " + tls
                    + (saslMechanism == null ? "" : ", SASL " + saslMechanism + " as " + username) + "]";
        }
    }

    /**
     * The producer is created at the first delivery, not here: Kafka's client refuses to start when no broker
     * name resolves, and a SIEM that cannot be reached must not keep the gateway from starting. Until it can be
     * created, each delivery fails and is retried like any other.
     */
    public KafkaSink(Settings settings, String clientId, Duration timeout) {
        this(settings, timeout, () -> new KafkaProducer<>(producerProperties(settings, clientId, timeout),
                new StringSerializer(), new ByteArraySerializer()));
    }

    /** With a given producer factory (tests). */
    KafkaSink(Settings settings, Duration timeout, Supplier<Producer<String, byte[]>> factory) {
        this.topic = settings.topic();
        this.timeout = timeout;
        this.factory = factory;
        this.description = "kafka " + String.join(",", settings.bootstrapServers()) + " topic " + topic
                + (settings.tls() ? " (TLS)" : "");
    }

    /**
     * The producer's configuration: idempotent, {@code acks=all}, one batch in flight per partition in order,
     * bounded waits so that {@link #deliver} fails within about {@code timeout} when the brokers are gone.
     */
    static Properties producerProperties(Settings s, String clientId, Duration timeout) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", s.bootstrapServers()));
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        int ms = (int) timeout.toMillis();
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(ms));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(ms));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(2 * ms + 5));
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
        boolean sasl = s.saslMechanism() != null;
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                (s.tls() ? (sasl ? "SASL_SSL" : "SSL") : (sasl ? "SASL_PLAINTEXT" : "PLAINTEXT")));
        if (s.tls()) {
            p.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "https");
            if (s.caFile() != null) {
                p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
                p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, s.caFile());
            }
        }
        if (sasl) {
            p.put(SaslConfigs.SASL_MECHANISM, s.saslMechanism());
            String module = s.saslMechanism().equals("PLAIN")
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=" + jaasQuoted(s.username())
                    + " password=" + jaasQuoted(s.password()) + ";");
        }
        return p;
    }

    /** A JAAS option value in double quotes, with {@code \} and {@code "} escaped. */
    static String jaasQuoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public void deliver(List<ExportRecord> batch) throws IOException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
        long deadline = System.nanoTime() + 2 * timeout.toNanos();
        try {
            if (producer == null) {
                producer = factory.get();
            }
            for (ExportRecord r : batch) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, r.auditId(), r.payload());
                record.headers().add(SEQ_HEADER, Long.toString(r.seq()).getBytes(StandardCharsets.US_ASCII));
                record.headers().add(AUDIT_ID_HEADER, r.auditId().getBytes(StandardCharsets.UTF_8));
                Future<RecordMetadata> f = producer.send(record);
                if (f.isDone()) {
                    f.get(); // refused at once (no metadata within max.block.ms, too large): the rest would wait too
                }
                sent.add(f);
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new IOException(describe() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(describe() + ": no acknowledgement within " + 2 * timeout.toSeconds() + "s", e);
        } catch (KafkaException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException(describe() + ": " + e.getMessage()
                    + (cause != e ? " (" + cause.getMessage() + ")" : ""), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while producing to " + describe(), e);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
