package dev.gatehouse.report.answers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.report.Parameter;
import dev.gatehouse.report.Report;
import dev.gatehouse.report.ReportQuery;
import dev.gatehouse.report.ReportSources;
import dev.gatehouse.report.Row;

/**
 * 10. Identities dormant more than N days (default 90) at the end of the period: every authenticated user the log
 * has seen before {@code to} whose latest request is older than {@code to - days}; and access held but never used:
 * time-boxed grants approved before {@code to} without a single use.
 */
public final class DormantIdentities implements Report {
    static final int DEFAULT_DAYS = 90;

    @Override
    public String name() {
        return "dormant-identities";
    }

    @Override
    public String title() {
        return "Dormant identities, and access held but never used";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.optional("days", "idle for more than this many days (default " + DEFAULT_DAYS
                + ")"));
    }

    @Override
    public List<String> columns() {
        return List.of("seq", "kind", "identity", "detail", "lastUsed", "daysIdle", "uses");
    }

    @Override
    public boolean wholeHistory() {
        return true;
    }

    @Override
    public void validate(ReportQuery query) {
        days(query.parameter("days"));
    }

    @Override
    public Collector start(ReportQuery query, ReportSources sources) {
        int days = days(query.parameter("days"));
        Instant cutoff = query.to().minus(Duration.ofDays(days));
        Map<String, Object[]> users = new TreeMap<>(); // user -> {lastEvent, lastSeq, uses}
        Map<String, Object[]> grants = new LinkedHashMap<>(); // grant -> {approvedEvent, seq, uses}
        return new Collector() {
            @Override
            public void accept(long seq, AuditEvent e) {
                Instant at = ReportQuery.time(e);
                if (at == null || !at.isBefore(query.to())) {
                    return;
                }
                if (Events.completedRequest(e) && !Events.method(e).isEmpty()) {
                    Object[] u = users.computeIfAbsent(Events.user(e), k -> new Object[] {null, 0L, 0L});
                    u[0] = e;
                    u[1] = seq;
                    u[2] = (long) u[2] + 1;
                }
                String grant = Events.detail(e, "grantId");
                if ("grant".equals(Events.type(e)) && !grant.isEmpty()) {
                    if ("grant-approved".equals(Events.verb(e)) && "true".equals(Events.detail(e, "decisive"))) {
                        grants.putIfAbsent(grant, new Object[] {e, seq, 0L});
                    } else if ("grant-used".equals(Events.verb(e)) && grants.containsKey(grant)) {
                        grants.get(grant)[2] = (long) grants.get(grant)[2] + 1;
                    }
                }
            }

            @Override
            public List<Row> rows() {
                List<Row> rows = new ArrayList<>();
                users.forEach((user, u) -> {
                    AuditEvent last = (AuditEvent) u[0];
                    Instant at = ReportQuery.time(last);
                    if (at.isBefore(cutoff)) {
                        rows.add(Row.of((long) u[1], u[1], "dormant identity", user, Events.method(last),
                                Events.time(last), Duration.between(at, query.to()).toDays(), u[2]));
                    }
                });
                grants.forEach((grant, g) -> {
                    if ((long) g[2] == 0) {
                        AuditEvent approved = (AuditEvent) g[0];
                        rows.add(Row.of((long) g[1], g[1], "grant never used", Events.detail(approved, "requester"),
                                grant + ": " + Events.detail(approved, "scope") + " until "
                                        + Events.detail(approved, "validUntil"), "", "", 0));
                    }
                });
                return rows;
            }
        };
    }

    static int days(String value) {
        if (value == null) {
            return DEFAULT_DAYS;
        }
        try {
            int days = Integer.parseInt(value);
            if (days >= 1 && days <= 3650) {
                return days;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new IllegalArgumentException("report dormant-identities: days=" + value
                + " (expected: a whole number from 1 to 3650)");
    }
}
