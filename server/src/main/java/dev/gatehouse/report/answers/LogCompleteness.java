package dev.gatehouse.report.answers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.verify.Finding;
import dev.gatehouse.audit.verify.VerificationReport;
import dev.gatehouse.report.Report;
import dev.gatehouse.report.ReportQuery;
import dev.gatehouse.report.ReportSources;
import dev.gatehouse.report.Row;

/**
 * 9. Is the log complete and unaltered: the verifier's findings up to the checkpoint the answer rests on, every
 * position whose event does not carry its own position (a line deleted, inserted or moved), positions deleted past
 * retention, unreadable lines, the gateway's own integrity events (recovery, a torn tail cut, failed key
 * rotations, segment deletions) in the period, and the events of the period per cluster and day. The first row is
 * the verdict.
 */
public final class LogCompleteness implements Report {
    @Override
    public String name() {
        return "log-completeness";
    }

    @Override
    public String title() {
        return "Is the log complete and unaltered";
    }

    @Override
    public List<String> columns() {
        return List.of("seq", "check", "result", "detail");
    }

    @Override
    public boolean wholeHistory() {
        return true;
    }

    @Override
    public Collector start(ReportQuery query, ReportSources sources) {
        List<Row> problems = new ArrayList<>();
        List<Row> alerts = new ArrayList<>();
        Map<String, long[]> perDay = new TreeMap<>();
        long[] seen = {-1, -1, 0}; // first, last, count
        return new Collector() {
            @Override
            public void accept(long seq, AuditEvent e) {
                note(seq);
                Long own = e.gatehouse() == null ? null : e.gatehouse().seq();
                if (own != null && own != seq) {
                    problems.add(Row.of(seq, seq, "sequence", "bad", "the event at position " + seq
                            + " says it is at position " + own + " (lines deleted, inserted or moved)"));
                }
                if (!query.covers(e)) {
                    return;
                }
                if ("system".equals(Events.type(e))) {
                    alerts.add(Row.of(seq, seq, "integrity event", Events.verb(e) + " " + Events.resource(e),
                            Events.time(e) + " " + Events.reason(e)));
                }
                String day = Events.time(e).length() >= 10 ? Events.time(e).substring(0, 10) : "?";
                String cluster = Events.cluster(e).isEmpty() ? "(none)" : Events.cluster(e);
                long[] c = perDay.computeIfAbsent(cluster + " " + day, k -> new long[] {0, seq});
                c[0]++;
                c[1] = seq;
            }

            @Override
            public void unreadable(long seq) {
                note(seq);
                problems.add(Row.of(seq, seq, "unreadable", "bad", "the line at position " + seq
                        + " is not an audit event"));
            }

            private void note(long seq) {
                if (seen[0] < 0) {
                    seen[0] = seq;
                }
                seen[1] = seq;
                seen[2]++;
            }

            @Override
            public List<Row> rows() {
                VerificationReport report;
                try {
                    report = sources.verify();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                List<Row> findings = new ArrayList<>();
                for (Finding f : report.findings()) {
                    if (f.position() <= seen[1]) {
                        findings.add(Row.of(f.position(), f.position(), "verify", f.kind().name(), f.message()));
                    }
                }
                List<Row> rows = new ArrayList<>();
                boolean bad = !findings.isEmpty() || !problems.isEmpty();
                long expected = seen[1] < 0 ? 0 : seen[1] - seen[0] + 1;
                rows.add(Row.of(seen[1], seen[1], "verdict", bad ? "ALTERED OR INCOMPLETE" : "complete and unaltered",
                        seen[2] + " positions read" + (seen[1] < 0 ? "" : " (" + seen[0] + ".." + seen[1] + ")")
                                + ", " + findings.size() + " verifier findings, " + problems.size()
                                + " sequence problems"));
                if (seen[0] > 0) {
                    rows.add(Row.of(seen[0], seen[0], "retention", "archived", "positions 0.." + (seen[0] - 1)
                            + " are no longer in the live log (deleted past retention; see the archive)"));
                }
                if (seen[2] != expected) {
                    rows.add(Row.of(seen[1], seen[1], "sequence", "bad", seen[2] + " lines for " + expected
                            + " positions"));
                }
                rows.addAll(findings);
                rows.addAll(problems);
                rows.addAll(alerts);
                perDay.forEach((k, c) -> rows.add(Row.of(c[1], c[1], "events", k, c[0] + " events")));
                return rows;
            }
        };
    }
}
