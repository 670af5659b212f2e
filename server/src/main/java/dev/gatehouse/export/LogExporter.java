package dev.gatehouse.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.file.AuditLogReader;
import dev.gatehouse.audit.file.Segment;

/**
 * Follows the audit log from a durable cursor and delivers batches to one sink, on its own thread: a batch is
 * retried with exponential backoff until the sink accepts it, then the cursor moves past it. Nothing here touches
 * the request path, so a slow or unreachable SIEM only grows {@link ExporterStats#lag()}.
 */
public final class LogExporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogExporter.class);

    /**
     * An exporter's settings.
     *
     * @param name       names the cursor file and the thread ({@code export.<name>})
     * @param logDir     the audit log directory
     * @param stateDir   where the cursor lives
     * @param shape      how events are written
     * @param batchSize  most events per delivery
     * @param poll       how often to look for new events when caught up
     * @param minBackoff first wait after a failed delivery
     * @param maxBackoff longest wait between retries
     */
    public record Config(String name, Path logDir, Path stateDir, EventShape shape, int batchSize, Duration poll,
                         Duration minBackoff, Duration maxBackoff) {
        public Config {
            if (!name.matches("[a-z0-9][a-z0-9-]*")) {
                throw new IllegalArgumentException("export.name: " + name + " (expected: lower-case letters, digits, -)");
            }
            if (batchSize <= 0) {
                throw new IllegalArgumentException("export." + name + ".batchSize: " + batchSize + " (expected: > 0)");
            }
        }

        public static Config of(String name, Path logDir, Path stateDir, EventShape shape) {
            return new Config(name, logDir, stateDir, shape, 500, Duration.ofMillis(200), Duration.ofMillis(100),
                    Duration.ofSeconds(30));
        }

        public Config withBackoff(Duration min, Duration max) {
            return new Config(name, logDir, stateDir, shape, batchSize, poll, min, max);
        }
    }

    private final Config config;
    private final ExportSink sink;
    private final LongSupplier logSize;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long delivered;
    private volatile long failures;
    private volatile long cursorPosition;
    private volatile String lastError = "";
    private Segment resumeSegment;
    private long resumeOffset;

    /** An exporter; {@code logSize} gives the log's size for the lag metric (e.g. {@code log::size}). */
    public LogExporter(Config config, ExportSink sink, LongSupplier logSize) {
        this.config = config;
        this.sink = sink;
        this.logSize = logSize;
        this.thread = Thread.ofPlatform().name("export-" + config.name()).daemon(true).unstarted(this::run);
    }

    public LogExporter start() {
        thread.start();
        return this;
    }

    public ExporterStats stats() {
        long size = logSize.getAsLong();
        return new ExporterStats(config.name(), delivered, failures, cursorPosition,
                Math.max(0, size - cursorPosition), lastError);
    }

    private void run() {
        try {
            ExportCursor cursor = ExportCursor.load(config.stateDir(), config.name());
            cursorPosition = cursor.next();
            LOG.info("export {}: delivering to {} from position {}", config.name(), sink.describe(), cursor.next());
            while (running) {
                List<ExportRecord> batch = read(cursor.next());
                if (batch.isEmpty()) {
                    Thread.sleep(config.poll().toMillis());
                    continue;
                }
                if (!deliver(batch)) {
                    return;
                }
                cursor.advance(batch.getLast().seq() + 1);
                cursorPosition = cursor.next();
                delivered += batch.size();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            lastError = e.toString();
            LOG.error("export {}: stopped: {}", config.name(), e.toString());
        }
    }

    private List<ExportRecord> read(long from) throws IOException {
        List<ExportRecord> batch = new ArrayList<>();
        Segment lastSegment = null;
        long lastEnd = 0;
        try (AuditLogReader reader = resumeSegment != null
                ? AuditLogReader.resume(config.logDir(), from, resumeSegment, resumeOffset)
                : AuditLogReader.from(config.logDir(), from)) {
            while (batch.size() < config.batchSize() && reader.hasNext()) {
                AuditLogReader.LogLine line = reader.next();
                AuditEvent event = line.event();
                batch.add(new ExportRecord(line.position(), event.auditID(), event.stageTimestamp(),
                        config.shape().shape(event, line.bytes())));
                lastSegment = line.segment();
                lastEnd = line.offset() + line.bytes().length + 1;
            }
        }
        if (lastSegment != null) {
            resumeSegment = lastSegment;
            resumeOffset = lastEnd;
        }
        return batch;
    }

    /** Retries until the sink takes the batch; false when stopped first. */
    private boolean deliver(List<ExportRecord> batch) throws InterruptedException {
        long backoff = config.minBackoff().toMillis();
        while (running) {
            try {
                sink.deliver(batch);
                lastError = "";
                return true;
            } catch (IOException | RuntimeException e) {
                failures++;
                lastError = e.getMessage() == null ? e.toString() : e.getMessage();
                LOG.warn("export {}: delivering positions {}..{} to {} failed ({}); retrying in {} ms", config.name(),
                        batch.getFirst().seq(), batch.getLast().seq(), sink.describe(), lastError, backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, config.maxBackoff().toMillis());
            }
        }
        return false;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
            sink.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("export {}: closing {} failed: {}", config.name(), sink.describe(), e.toString());
        }
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
