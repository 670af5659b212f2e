package dev.gatehouse.report;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.gatehouse.audit.checkpoint.Checkpoint;

/**
 * One answer, as the JSON format carries it and {@code gatehouse report check} reads it back.
 *
 * @param kind        {@value #KIND}
 * @param apiVersion  {@value #API_VERSION}
 * @param query       the report's name and parameters
 * @param title       the report's title
 * @param period      {@code from} (inclusive) and {@code to} (exclusive), RFC 3339
 * @param count       how many rows
 * @param positions   per log read, the positions scanned and the first and last position a row rests on
 * @param checkpoint  the signed checkpoint whose events were read: positions {@code 0 .. treeSize-1}
 * @param canonicalForm {@value CanonicalRows#FORM}: how {@code rowsSha256} is computed
 * @param rowsSha256  SHA-256 (hex) of the columns and rows in the canonical form
 * @param generatedAt when the answer was computed (not covered by the hash)
 * @param columns     the column names
 * @param rows        the rows, in log order
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"kind", "apiVersion", "query", "title", "period", "count", "positions", "checkpoint",
        "canonicalForm", "rowsSha256", "generatedAt", "columns", "rows"})
public record ReportAnswer(String kind, String apiVersion, Query query, String title, Period period, long count,
                           List<Positions> positions, SignedCheckpoint checkpoint, String canonicalForm,
                           String rowsSha256, String generatedAt, List<String> columns, List<List<String>> rows) {
    public static final String KIND = "ReportAnswer";
    public static final String API_VERSION = "gatehouse.dev/v1";
    /** The log every answer reads today. */
    public static final String AUDIT_LOG = Checkpoint.ORIGIN;

    /** The report and its parameters. */
    public record Query(String name, Map<String, String> parameters) {
    }

    /** {@code [from, to)}, RFC 3339. */
    public record Period(String from, String to) {
    }

    /**
     * What was read of one log: {@code scannedFrom..scannedTo} (inclusive; -1 when empty), and the first and last
     * position a row rests on (-1 when there are no rows).
     */
    public record Positions(String log, long scannedFrom, long scannedTo, long first, long last,
                            List<Long> unreadable) {
    }

    /** The checkpoint as signed: {@link Checkpoint#signedText} of its first four fields. */
    public record SignedCheckpoint(String origin, long treeSize, String rootHash, String time, String keyId,
                                   String signature) {
        static SignedCheckpoint of(Checkpoint c) {
            return new SignedCheckpoint(c.origin(), c.treeSize(), c.rootHash(), c.time(), c.keyId(), c.signature());
        }

        public Checkpoint checkpoint() {
            return new Checkpoint(origin, treeSize, rootHash, time, keyId, signature, null);
        }
    }

    /** The query as {@link ReportRunner} takes it. */
    public ReportQuery reportQuery() {
        return new ReportQuery(query.name(), java.time.Instant.parse(period.from()),
                java.time.Instant.parse(period.to()), query.parameters() == null ? Map.of() : query.parameters());
    }
}
