package dev.gatehouse.export;

/**
 * One event ready for a sink.
 *
 * @param seq      the event's position in the log
 * @param auditId  its audit id (the key to detect a duplicate after a retry)
 * @param time     its stage timestamp, RFC 3339
 * @param payload  the shaped event, UTF-8 JSON without a newline
 */
public record ExportRecord(long seq, String auditId, String time, byte[] payload) {
}
