package dev.gatehouse.export;

import java.io.IOException;
import java.util.List;

/**
 * Where an exporter delivers: a file, a syslog server, a webhook. {@link #deliver} returns only when the whole
 * batch is accepted by the receiver (written, sent and flushed, or acknowledged with 2xx); otherwise it throws
 * and the exporter retries the same batch.
 */
public interface ExportSink extends AutoCloseable {
    void deliver(List<ExportRecord> batch) throws IOException;

    /** A short description for logs and metrics, with no secret in it. */
    String describe();

    @Override
    default void close() throws IOException {
    }
}
