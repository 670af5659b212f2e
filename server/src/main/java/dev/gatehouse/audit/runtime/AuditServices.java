package dev.gatehouse.audit.runtime;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;
import dev.gatehouse.audit.retention.RetentionEnforcer;
import dev.gatehouse.audit.retention.RetentionPolicy;
import dev.gatehouse.audit.verify.BackgroundVerifier;
import dev.gatehouse.evidence.EvidenceShipper;
import dev.gatehouse.export.ExportSink;
import dev.gatehouse.export.ExporterStats;
import dev.gatehouse.export.LogExporter;

/**
 * Everything that runs around the log in a gateway, started and stopped together: the log itself, the background
 * verifier, retention (hourly) and the SIEM exporters. The gateway passes {@link #log()} to its chain, shows
 * {@link #log()}{@code .health()} and {@link #integrity()} on its health endpoints, and {@link #exporters()} as
 * metrics. {@link #close()} stops the exporters first, then closes the log (which signs a final checkpoint).
 */
public final class AuditServices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditServices.class);

    /** One exporter: its settings and where it delivers. */
    public record Exporter(LogExporter.Config config, ExportSink sink) {
    }

    /** Opens the evidence shipper once the log (and its signing key) exists. */
    @FunctionalInterface
    public interface ShipperOpener {
        EvidenceShipper open() throws IOException;
    }

    private final ChainedFileAuditLog log;
    private final BackgroundVerifier verifier;
    private final List<LogExporter> exporters = new ArrayList<>();
    private final ScheduledExecutorService retentionTimer;
    private final EvidenceShipper shipper;

    private AuditServices(ChainedFileAuditLog log, BackgroundVerifier verifier, ScheduledExecutorService timer,
                          EvidenceShipper shipper) {
        this.log = log;
        this.verifier = verifier;
        this.retentionTimer = timer;
        this.shipper = shipper;
    }

    /**
     * Opens the log and starts the rest. {@code retention} may be null (keep everything); exporters' log
     * directory must be {@code logConfig.directory()}.
     */
    public static AuditServices start(FileAuditLogConfig logConfig, RetentionPolicy retention,
                                      List<Exporter> exporters, Duration verifyInterval) {
        return start(logConfig, retention, exporters, verifyInterval, null);
    }

    /**
     * As above, and ships the evidence when {@code shipping} is not null: retention then deletes a live segment
     * only once it is shipped.
     */
    public static AuditServices start(FileAuditLogConfig logConfig, RetentionPolicy retention,
                                      List<Exporter> exporters, Duration verifyInterval, ShipperOpener shipping) {
        ChainedFileAuditLog log = ChainedFileAuditLog.open(logConfig);
        EvidenceShipper shipper;
        try {
            shipper = shipping == null ? null : shipping.open();
        } catch (IOException | RuntimeException e) {
            log.close();
            throw new IllegalStateException("evidence shipping: " + e.getMessage(), e);
        }
        BackgroundVerifier verifier = new BackgroundVerifier(logConfig.directory()).start(verifyInterval);
        ScheduledExecutorService timer = null;
        if (retention != null) {
            RetentionEnforcer enforcer = new RetentionEnforcer(log, logConfig.directory(), retention,
                    Clock.systemUTC(), shipper == null ? (segment, end) -> true : shipper::shipped);
            timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("audit-retention")
                    .daemon(true).unstarted(r));
            timer.scheduleWithFixedDelay(() -> {
                try {
                    enforcer.run();
                } catch (IOException | RuntimeException e) {
                    LOG.error("audit retention: {}", e.getMessage());
                }
            }, 1, 60, TimeUnit.MINUTES);
        }
        AuditServices services = new AuditServices(log, verifier, timer, shipper);
        if (shipper != null) {
            shipper.start();
        }
        for (Exporter e : exporters) {
            services.exporters.add(new LogExporter(e.config(), e.sink(), log::size).start());
        }
        return services;
    }

    /** The log the chain appends to. */
    public ChainedFileAuditLog log() {
        return log;
    }

    /** The background verifier's verdict (an alert when not ok). */
    public BackgroundVerifier.IntegrityHealth integrity() {
        return verifier.health();
    }

    /** Inconsistencies the background verifier found (a metric). */
    public long integrityFailures() {
        return verifier.failures();
    }

    /** Each exporter's delivered, failures, cursor and lag (metrics). */
    public List<ExporterStats> exporters() {
        return exporters.stream().map(LogExporter::stats).toList();
    }

    /** The evidence shipper, or null when {@code evidence.objectStore} is not configured. */
    public EvidenceShipper shipper() {
        return shipper;
    }

    @Override
    public void close() {
        exporters.forEach(LogExporter::close);
        if (shipper != null) {
            shipper.close();
        }
        if (retentionTimer != null) {
            retentionTimer.shutdownNow();
        }
        verifier.close();
        log.close();
    }
}
