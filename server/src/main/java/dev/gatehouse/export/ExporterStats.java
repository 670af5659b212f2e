package dev.gatehouse.export;

/**
 * An exporter's metrics.
 *
 * @param name        the exporter's name
 * @param delivered   events delivered since start
 * @param failures    failed delivery attempts since start
 * @param cursor      the next position to deliver
 * @param lag         events in the log not yet delivered
 * @param lastError   the last delivery error, or "" when the last attempt succeeded
 */
public record ExporterStats(String name, long delivered, long failures, long cursor, long lag, String lastError) {
}
