package dev.gatehouse.report.answers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.report.Parameter;
import dev.gatehouse.report.Report;
import dev.gatehouse.report.ReportQuery;
import dev.gatehouse.report.ReportSources;
import dev.gatehouse.report.Row;

/**
 * 11. A recertification campaign export with the fields reviewers' tools use: one row per principal and resource
 * (cluster / namespace / resource) used in the period, how (access path), last used, usage count, a recommendation,
 * and the reviewer's decision, justification, who and when — from the campaign's sign-off events (type
 * {@value #SIGN_OFF}, written by {@code POST /gatehouse/v1/reports/recertification/sign-off} before it answers; a
 * refused sign-off is not a decision). The latest sign-off of a row wins.
 */
public final class Recertification implements Report {
    /** {@code gatehouse.type} of a sign-off event. */
    public static final String SIGN_OFF = "recertification-sign-off";
    /** Used less recently than this before the end of the period: recommended for revocation. */
    static final Duration STALE = Duration.ofDays(30);

    @Override
    public String name() {
        return "recertification";
    }

    @Override
    public String title() {
        return "Recertification campaign";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.required("campaign", "the campaign's name, as its sign-offs name it"));
    }

    @Override
    public List<String> columns() {
        return List.of("seq", "principal", "resource", "accessPath", "lastUsed", "usageCount", "recommendation",
                "decision", "justification", "reviewedBy", "reviewedAt");
    }

    @Override
    public boolean wholeHistory() {
        return true;
    }

    private static final class Use {
        long seq;
        long count;
        String last;
        Instant lastAt;
        final TreeSet<String> paths = new TreeSet<>();
        AuditEvent signOff;
    }

    @Override
    public Collector start(ReportQuery query, ReportSources sources) {
        String campaign = query.parameter("campaign");
        Map<List<String>, Use> uses = new TreeMap<>((a, b) -> String.join("\u0000", a)
                .compareTo(String.join("\u0000", b)));
        List<AuditEvent> signOffs = new ArrayList<>();
        return new Collector() {
            @Override
            public void accept(long seq, AuditEvent e) {
                if (SIGN_OFF.equals(Events.type(e)) && "200".equals(Events.code(e))
                        && campaign.equals(Events.detail(e, "campaign"))) {
                    signOffs.add(e);
                    return;
                }
                if (!Events.completedRequest(e) || !query.covers(e) || Events.method(e).isEmpty()
                        || "failure".equals(Events.outcome(e))) {
                    return;
                }
                Use use = uses.computeIfAbsent(List.of(Events.user(e), resource(e)), k -> new Use());
                use.seq = seq;
                use.count++;
                use.last = Events.time(e);
                use.lastAt = ReportQuery.time(e);
                use.paths.add(path(e));
            }

            @Override
            public List<Row> rows() {
                for (AuditEvent s : signOffs) {
                    Use use = uses.get(List.of(Events.detail(s, "principal"), Events.detail(s, "resource")));
                    if (use != null) {
                        use.signOff = s;
                    }
                }
                List<Row> rows = new ArrayList<>();
                uses.forEach((k, u) -> {
                    AuditEvent s = u.signOff;
                    rows.add(Row.of(u.seq, u.seq, k.get(0), k.get(1), String.join("; ", u.paths), u.last, u.count,
                            recommendation(u, query), s == null ? "" : Events.detail(s, "decision"),
                            s == null ? "" : Events.detail(s, "justification"), s == null ? "" : Events.user(s),
                            s == null ? "" : Events.time(s)));
                });
                return rows;
            }
        };
    }

    /** cluster/namespace/resource (the object's name left out: access is granted per resource). */
    static String resource(AuditEvent e) {
        StringBuilder out = new StringBuilder(Events.cluster(e));
        for (String part : new String[] {Events.namespace(e), Events.resourcePath(e)}) {
            if (!part.isEmpty()) {
                out.append(part.startsWith("/") ? "" : "/").append(part);
            }
        }
        return out.toString();
    }

    /** How the access was had: the authentication method, and a grant or an approved review when it took one. */
    static String path(AuditEvent e) {
        String via = Events.method(e) + (Events.breakGlass(e) ? " (break-glass)" : "");
        if (!Events.detail(e, "grantId").isEmpty()) {
            return via + ", grant " + Events.detail(e, "grantId");
        }
        if (!Events.detail(e, "reviewId").isEmpty()) {
            return via + ", approved review";
        }
        return via;
    }

    private static String recommendation(Use u, ReportQuery query) {
        if (u.paths.stream().anyMatch(p -> p.contains("break-glass"))) {
            return "review: break-glass use";
        }
        return u.lastAt.isBefore(query.to().minus(STALE)) ? "revoke: unused for " + STALE.toDays() + "+ days"
                : "keep: in use";
    }
}
