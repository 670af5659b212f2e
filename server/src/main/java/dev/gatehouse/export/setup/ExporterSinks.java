package dev.gatehouse.export.setup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;

import javax.net.ssl.SSLContext;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.GatehouseConfig.ExporterConfig;
import dev.gatehouse.export.ExportSink;
import dev.gatehouse.export.file.JsonLinesFileSink;
import dev.gatehouse.export.kafka.KafkaSink;
import dev.gatehouse.export.syslog.SyslogSink;
import dev.gatehouse.export.webhook.WebhookBody;
import dev.gatehouse.export.webhook.WebhookSink;
import dev.gatehouse.listen.PemTrust;

/** Builds the sink an exporter's configuration names. */
public final class ExporterSinks {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ExporterSinks() {
    }

    /** @param hostname how this gateway names itself to the SIEM (syslog HOSTNAME, HEC host) */
    public static ExportSink create(ExporterConfig c, String hostname) {
        return switch (c.type()) {
            case "file" -> new JsonLinesFileSink(c.directory(), c.name(), c.maxBytes(), c.keepFiles());
            case "syslog" -> new SyslogSink(c.host(), c.port(), c.tls() ? tls(c) : null, hostname, TIMEOUT);
            case "webhook" -> new WebhookSink(URI.create(c.url()),
                    WebhookBody.valueOf(c.format().toUpperCase(Locale.ROOT).replace('-', '_')), token(c), hostname,
                    TIMEOUT, c.url().startsWith("https://") ? tls(c) : null);
            case "kafka" -> {
                if (c.tls() && c.caFile() != null) {
                    tls(c); // a CA file that holds no certificate is a config error now, not a failure per delivery
                }
                yield new KafkaSink(new KafkaSink.Settings(c.kafka().bootstrapServers(), c.kafka().topic(),
                    c.tls(), c.caFile() == null ? null : c.caFile().toString(), c.kafka().saslMechanism(),
                    c.kafka().username(), secret(c.key() + ".passwordFile", c.kafka().passwordFile())),
                    "gatehouse-" + hostname + "-" + c.name(), TIMEOUT);
            }
            default -> throw new ConfigException(c.key() + ".type: \"" + c.type() + "\"");
        };
    }

    private static String token(ExporterConfig c) {
        return secret(c.key() + ".tokenFile", c.tokenFile());
    }

    /** A secret read from a file at start (surrounding whitespace cut), or null when no file is named. */
    private static String secret(String key, Path file) {
        if (file == null) {
            return null;
        }
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(key + ": cannot read " + file, e);
        }
    }

    /** TLS trusting {@code caFile} only, or the JDK's default trust store when none is given. */
    private static SSLContext tls(ExporterConfig c) {
        try {
            if (c.caFile() == null) {
                return SSLContext.getDefault();
            }
            var cas = PemTrust.certificates(c.caFile());
            if (cas.isEmpty()) {
                // trusting nothing would only fail at the first delivery; say so at start instead
                throw new ConfigException(c.key() + ".caFile: " + c.caFile() + " (expected: PEM certificates)");
            }
            return PemTrust.sslContext(cas);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(c.key() + ".caFile: " + c.caFile() + " (" + e.getMessage() + ")");
        }
    }
}
