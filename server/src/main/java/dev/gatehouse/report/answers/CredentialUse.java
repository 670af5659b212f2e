package dev.gatehouse.report.answers;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.report.Report;
import dev.gatehouse.report.ReportQuery;
import dev.gatehouse.report.ReportSources;
import dev.gatehouse.report.Row;

/**
 * 2. The share of requests tied to a named person against break-glass / static credentials, service accounts,
 * delegated (agent) tokens and unauthenticated attempts; then the inventory of every non-personal credential (its
 * id or fingerprint, never the credential) with who used it, how often, first and last. Category rows come first,
 * then one row per credential and user, each in name order.
 */
public final class CredentialUse implements Report {
    static final String PERSON = "named person";
    static final String BREAK_GLASS = "break-glass or static credential";
    static final String SERVICE_ACCOUNT = "service account";
    static final String DELEGATED = "delegated (agent acting for a person)";
    static final String NONE = "unauthenticated";

    @Override
    public String name() {
        return "credential-use";
    }

    @Override
    public String title() {
        return "Named persons against break-glass, shared and static credentials";
    }

    @Override
    public List<String> columns() {
        return List.of("row", "category", "method", "credential", "user", "requests", "sharePercent", "firstSeen",
                "lastSeen");
    }

    private static final class Use {
        long requests;
        String first;
        String last;
        long lastSeq;

        void add(long seq, AuditEvent e) {
            requests++;
            first = first == null ? Events.time(e) : first;
            last = Events.time(e);
            lastSeq = seq;
        }
    }

    @Override
    public Collector start(ReportQuery query, ReportSources sources) {
        Map<String, Use> categories = new TreeMap<>();
        Map<List<String>, Use> credentials = new TreeMap<>((a, b) -> String.join("\u0000", a)
                .compareTo(String.join("\u0000", b)));
        long[] total = {0};
        return new Collector() {
            @Override
            public void accept(long seq, AuditEvent e) {
                if (!Events.completedRequest(e)) {
                    return;
                }
                total[0]++;
                String category = category(e);
                categories.computeIfAbsent(category, c -> new Use()).add(seq, e);
                if (!category.equals(PERSON) && !category.equals(NONE)) {
                    AuditEvent.Authn a = Events.authn(e);
                    credentials.computeIfAbsent(List.of(category, Events.method(e),
                            a == null || a.credentialId() == null ? "" : a.credentialId(), Events.user(e)),
                            k -> new Use()).add(seq, e);
                }
            }

            @Override
            public List<Row> rows() {
                List<Row> rows = new ArrayList<>();
                categories.forEach((c, u) -> rows.add(Row.of(u.lastSeq, "category", c, "", "", "", u.requests,
                        share(u.requests, total[0]), u.first, u.last)));
                credentials.forEach((k, u) -> rows.add(Row.of(u.lastSeq, "credential", k.get(0), k.get(1),
                        k.get(2), k.get(3), u.requests, share(u.requests, total[0]), u.first, u.last)));
                return rows;
            }
        };
    }

    static String category(AuditEvent e) {
        String method = Events.method(e);
        if (Events.breakGlass(e) || "static-token".equals(method)) {
            return BREAK_GLASS;
        }
        if (!Events.actors(e).isEmpty() || "delegated".equals(method)) {
            return DELEGATED;
        }
        if ("service-account".equals(method)) {
            return SERVICE_ACCOUNT;
        }
        return method.isEmpty() ? NONE : PERSON;
    }

    /** {@code part / total} in percent with one decimal, rounded half up (exact: no floating point). */
    static String share(long part, long total) {
        return total == 0 ? "0.0" : BigDecimal.valueOf(part * 100).divide(BigDecimal.valueOf(total), 1,
                RoundingMode.HALF_UP).toPlainString();
    }
}
