package dev.gatehouse.report.answers;

import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.report.Report;
import dev.gatehouse.report.ReportQuery;
import dev.gatehouse.report.ReportSources;
import dev.gatehouse.report.Row;

/** A report with one row per matching event of the period. */
abstract class EventReport implements Report {
    /** The row of {@code event} at {@code seq}, or null when it does not belong. */
    abstract Row row(ReportQuery query, long seq, AuditEvent event);

    /** The row of {@code event} with its exact line; by default {@link #row(ReportQuery, long, AuditEvent)}. */
    Row row(ReportQuery query, long seq, AuditEvent event, byte[] line) {
        return row(query, seq, event);
    }

    @Override
    public final Collector start(ReportQuery query, ReportSources sources) {
        List<Row> rows = new ArrayList<>();
        return new Collector() {
            @Override
            public void accept(long seq, AuditEvent event) {
                accept(seq, event, null);
            }

            @Override
            public void accept(long seq, AuditEvent event, byte[] line) {
                Row row = line == null ? row(query, seq, event) : row(query, seq, event, line);
                if (row != null) {
                    rows.add(row);
                }
            }

            @Override
            public List<Row> rows() {
                return rows;
            }
        };
    }

    /** True when {@code value} is null (the parameter was not given) or equals {@code actual}. */
    static boolean matches(String value, String actual) {
        return value == null || value.equals(actual);
    }
}
