package dev.gatehouse.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.checkpoint.Checkpoint;
import dev.gatehouse.audit.checkpoint.CheckpointLog;
import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.checkpoint.PublicKeys;
import dev.gatehouse.audit.file.AuditLogReader;

/**
 * Computes answers: the latest checkpoint of the log that its own keys verify fixes the events read (positions
 * below its tree size, and no further than what is durable), the report reads them in order, and the rows, their
 * count, positions and canonical hash make the {@link ReportAnswer}. Blocks (disk): call it off the event loop.
 */
public final class ReportRunner {
    private final Reports reports;
    private final ReportSources sources;
    private final LongSupplier durable;
    private final Clock clock;

    /** @param durable how many events of the log are durable (its next position); reads stop there */
    public ReportRunner(Reports reports, ReportSources sources, LongSupplier durable, Clock clock) {
        this.reports = reports;
        this.sources = sources;
        this.durable = durable;
        this.clock = clock;
    }

    public Reports reports() {
        return reports;
    }

    /** The answer to {@code query} over the latest verified checkpoint. */
    public ReportAnswer run(ReportQuery query) throws IOException {
        Report report = reports.check(query);
        Path dir = sources.logDirectory();
        Checkpoint checkpoint = CheckpointLog.last(dir);
        if (checkpoint == null) {
            throw new IOException("the audit log has no signed checkpoint yet, so no answer can rest on one");
        }
        PublicKeys keys = KeyDirectory.in(dir).publicKeys();
        if (!keys.verifies(checkpoint)) {
            throw new IOException("the audit log's latest checkpoint (tree size " + checkpoint.treeSize()
                    + ") does not verify with its keys; run 'gatehouse audit verify'");
        }
        if (checkpoint.treeSize() > durable.getAsLong()) {
            throw new IOException("the audit log's latest checkpoint covers " + checkpoint.treeSize()
                    + " events but only " + durable.getAsLong() + " are durable");
        }
        return derive(report, query, checkpoint);
    }

    /** The answer to {@code query} over exactly the events {@code checkpoint} covers (no signature check here). */
    public ReportAnswer derive(ReportQuery query, Checkpoint checkpoint) throws IOException {
        return derive(reports.check(query), query, checkpoint);
    }

    private ReportAnswer derive(Report report, ReportQuery query, Checkpoint checkpoint) throws IOException {
        Report.Collector collector = report.start(query, sources);
        long scannedFrom = -1;
        long scannedTo = -1;
        List<Long> unreadable = new ArrayList<>();
        try (AuditLogReader reader = AuditLogReader.open(sources.logDirectory())) {
            while (reader.hasNext()) {
                AuditLogReader.LogLine line = reader.next();
                if (line.position() >= checkpoint.treeSize()) {
                    break;
                }
                if (scannedFrom < 0) {
                    scannedFrom = line.position();
                }
                scannedTo = line.position();
                AuditEvent event;
                try {
                    event = line.event();
                } catch (UncheckedIOException e) {
                    unreadable.add(line.position());
                    collector.unreadable(line.position());
                    continue;
                }
                if (report.wholeHistory() || query.covers(event)) {
                    collector.accept(line.position(), event, line.bytes());
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<Row> rows = List.copyOf(collector.rows());
        for (Row row : rows) {
            if (row.cells().size() != report.columns().size()) {
                throw new IllegalStateException("report " + report.name() + " made a row of " + row.cells().size()
                        + " cells (expected: " + report.columns().size() + ")");
            }
        }
        List<List<String>> cells = rows.stream().map(Row::cells).toList();
        long first = rows.stream().mapToLong(Row::seq).min().orElse(-1);
        long last = rows.stream().mapToLong(Row::seq).max().orElse(-1);
        return new ReportAnswer(ReportAnswer.KIND, ReportAnswer.API_VERSION,
                new ReportAnswer.Query(report.name(), query.parameters()), report.title(),
                new ReportAnswer.Period(query.from().toString(), query.to().toString()), rows.size(),
                List.of(new ReportAnswer.Positions(ReportAnswer.AUDIT_LOG, scannedFrom, scannedTo, first, last,
                        List.copyOf(unreadable))),
                ReportAnswer.SignedCheckpoint.of(checkpoint), CanonicalRows.FORM,
                CanonicalRows.sha256(report.columns(), cells), AuditEvent.timestamp(clock.instant()),
                report.columns(), cells);
    }

    /** The log's checkpoints, as its checkpoint file holds them. */
    public List<Checkpoint> checkpoints() throws IOException {
        return CheckpointLog.read(sources.logDirectory());
    }

    /** A query with the given name, period and parameters (a convenience for callers and tests). */
    public static ReportQuery query(String name, java.time.Instant from, java.time.Instant to,
                                    Map<String, String> parameters) {
        return new ReportQuery(name, from, to, parameters);
    }
}
