package dev.gatehouse.report.answers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.report.Parameter;
import dev.gatehouse.report.Report;
import dev.gatehouse.report.ReportQuery;
import dev.gatehouse.report.ReportSources;
import dev.gatehouse.report.Row;
import dev.gatehouse.session.RecordingStore;
import dev.gatehouse.session.SessionSummary;

/**
 * 12. Files copied in or out with {@code kubectl cp}: for every session that ended in the period with files
 * copied (its end event's {@code filesCopied}), each file from the session's summary — direction, path, size,
 * SHA-256. The summary is trusted only when its recording digests equal the ones the log recorded at the session's
 * end; otherwise the row says so instead of listing files.
 */
public final class CopiedFilesReport implements Report {
    @Override
    public String name() {
        return "copied-files";
    }

    @Override
    public String title() {
        return "Files copied in or out with kubectl cp";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.optional("user", "only this user's sessions"));
    }

    @Override
    public List<String> columns() {
        return List.of("seq", "time", "user", "cluster", "namespace", "pod", "session", "direction", "path", "size",
                "sha256", "auditID");
    }

    @Override
    public boolean usesSessions() {
        return true;
    }

    @Override
    public Collector start(ReportQuery query, ReportSources sources) {
        List<Row> rows = new ArrayList<>();
        return new Collector() {
            @Override
            public void accept(long seq, AuditEvent e) {
                String count = Events.detail(e, "filesCopied");
                if (!Events.completedRequest(e) || count.isEmpty() || count.equals("0")
                        || !EventReport.matches(query.parameter("user"), Events.user(e))) {
                    return;
                }
                String id = Events.detail(e, "session");
                Optional<SessionSummary> summary = RecordingStore.SESSION_ID.matcher(id).matches()
                        ? summary(sources, id) : Optional.empty();
                if (summary.isEmpty() || !matches(summary.get(), e)) {
                    rows.add(Row.of(seq, seq, Events.time(e), Events.user(e), Events.cluster(e), Events.namespace(e),
                            Events.name(e), id, "", "(" + count + " files; the session's summary is "
                                    + (summary.isEmpty() ? "missing" : "not the one the log recorded") + ")", "", "",
                            e.auditID()));
                    return;
                }
                for (SessionSummary.CopiedFile f : summary.get().files()) {
                    rows.add(Row.of(seq, seq, Events.time(e), Events.user(e), Events.cluster(e), Events.namespace(e),
                            Events.name(e), id, f.direction(), f.path(), f.size(), f.sha256(), e.auditID()));
                }
            }

            @Override
            public List<Row> rows() {
                return rows;
            }
        };
    }

    static Optional<SessionSummary> summary(ReportSources sources, String id) {
        try {
            return sources.session(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the summary's recording is the one the session's end event recorded. */
    static boolean matches(SessionSummary summary, AuditEvent end) {
        RecordingStore.Sealed r = summary.recording();
        return r != null && r.rawSha256() != null && r.rawSha256().equals(Events.detail(end, "recording.rawSha256"))
                && r.castSha256() != null && r.castSha256().equals(Events.detail(end, "recording.castSha256"))
                && summary.files() != null;
    }
}
