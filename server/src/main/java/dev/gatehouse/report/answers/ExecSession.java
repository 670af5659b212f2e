package dev.gatehouse.report.answers;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
 * 4. One exec (attach, port-forward) session: who, where, the command, why (the reason given when its review was
 * opened), who approved, how it ended, the recording's digests as the log holds them (the replay link serves that
 * recording), and the files {@code kubectl cp} moved, from the session's summary once it matches the log.
 * One row per fact: {@code field}, {@code value}, and the position of the event it comes from.
 */
public final class ExecSession implements Report {
    @Override
    public String name() {
        return "exec-session";
    }

    @Override
    public String title() {
        return "One session: who, why, who approved, what was typed and seen, files copied";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.required("session", "the session id (gatehouse sessions list)"));
    }

    @Override
    public List<String> columns() {
        return List.of("seq", "field", "value");
    }

    @Override
    public boolean wholeHistory() {
        return true;
    }

    @Override
    public boolean usesSessions() {
        return true;
    }

    @Override
    public void validate(ReportQuery query) {
        String id = query.parameter("session");
        if (id != null && !RecordingStore.SESSION_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("report exec-session: session=" + (id.length() > 40
                    ? id.substring(0, 40) + "..." : id) + " (expected: a session id such as "
                    + "0f8e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b)");
        }
    }

    @Override
    public Collector start(ReportQuery query, ReportSources sources) {
        String id = query.parameter("session");
        List<Row> rows = new ArrayList<>();
        String[] reviewId = {""};
        return new Collector() {
            @Override
            public void accept(long seq, AuditEvent e) {
                if (id.equals(Events.detail(e, "session")) && "request".equals(Events.type(e))) {
                    session(seq, e);
                } else if (!reviewId[0].isEmpty() && reviewId[0].equals(Events.detail(e, "reviewId"))
                        && "review".equals(Events.type(e))) {
                    review(seq, e);
                }
            }

            private void session(long seq, AuditEvent e) {
                if (AuditEvent.STAGE_RESPONSE_STARTED.equals(e.stage())) {
                    add(seq, "session", id);
                    add(seq, "user", Events.user(e));
                    add(seq, "groups", String.join(" ", Events.groups(e)));
                    add(seq, "authentication", Events.method(e) + (Events.breakGlass(e) ? " (break-glass)" : ""));
                    add(seq, "origin", Events.sourceIps(e));
                    add(seq, "cluster", Events.cluster(e));
                    add(seq, "namespace", Events.namespace(e));
                    add(seq, "pod", Events.name(e));
                    add(seq, "kind", Events.subresource(e));
                    add(seq, "container", queryValues(e.requestURI(), "container"));
                    add(seq, "command", queryValues(e.requestURI(), "command"));
                    add(seq, "started", Events.time(e));
                    add(seq, "startAuditID", e.auditID());
                    if ("true".equals(Events.detail(e, "pending"))) {
                        add(seq, "held", "yes, until approved");
                    }
                    String review = Events.detail(e, "reviewId");
                    if (!review.isEmpty() && reviewId[0].isEmpty()) {
                        reviewId[0] = review;
                        add(seq, "reviewId", review);
                    }
                } else if (AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage())) {
                    add(seq, "ended", Events.time(e));
                    add(seq, "endedBy", Events.detail(e, "endedBy"));
                    add(seq, "endReason", e.responseStatus() == null ? "" : e.responseStatus().message());
                    add(seq, "exitCode", Events.detail(e, "exitCode"));
                    add(seq, "recording.rawSha256", Events.detail(e, "recording.rawSha256"));
                    add(seq, "recording.castSha256", Events.detail(e, "recording.castSha256"));
                    add(seq, "recording.capture", Events.detail(e, "recording.capture"));
                    add(seq, "replay", "/gatehouse/v1/audit/sessions/" + id + "/cast (gatehouse sessions play " + id
                            + ")");
                    files(seq, e);
                }
            }

            private void review(long seq, AuditEvent e) {
                switch (Events.verb(e)) {
                    case "created" -> add(seq, "why", Events.detail(e, "reason"));
                    case "approved" -> add(seq, "approvedBy", Events.user(e) + at(e) + reason(e));
                    case "denied", "expired", "cancelled" -> add(seq, Events.verb(e) + "By", Events.user(e) + at(e)
                            + reason(e));
                    default -> {
                    }
                }
            }

            private void files(long seq, AuditEvent end) {
                String count = Events.detail(end, "filesCopied");
                if (count.isEmpty() || count.equals("0")) {
                    add(seq, "filesCopied", count.isEmpty() ? "" : "0");
                    return;
                }
                Optional<SessionSummary> summary = CopiedFilesReport.summary(sources, id);
                if (summary.isEmpty() || !CopiedFilesReport.matches(summary.get(), end)) {
                    add(seq, "filesCopied", count + " (the session's summary is " + (summary.isEmpty() ? "missing"
                            : "not the one the log recorded") + ")");
                    return;
                }
                add(seq, "filesCopied", count);
                for (SessionSummary.CopiedFile f : summary.get().files()) {
                    add(seq, "file", f.direction() + " " + f.path() + " " + f.size() + " bytes sha256 " + f.sha256());
                }
            }

            private void add(long seq, String field, String value) {
                rows.add(Row.of(seq, seq, field, value));
            }

            @Override
            public List<Row> rows() {
                return rows;
            }
        };
    }

    private static String at(AuditEvent e) {
        return " at " + Events.time(e);
    }

    private static String reason(AuditEvent e) {
        String reason = Events.detail(e, "reason");
        return reason.isEmpty() ? "" : ": " + reason;
    }

    /** Every value of {@code name} in the request URI's query, decoded, joined by spaces. */
    static String queryValues(String uri, String name) {
        if (uri == null || uri.indexOf('?') < 0) {
            return "";
        }
        List<String> values = new ArrayList<>();
        for (String pair : uri.substring(uri.indexOf('?') + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name) && eq >= 0) {
                try {
                    values.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    values.add(pair.substring(eq + 1));
                }
            }
        }
        return String.join(" ", values);
    }

}
