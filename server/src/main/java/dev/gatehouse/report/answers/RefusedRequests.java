package dev.gatehouse.report.answers;

import java.util.List;
import java.util.Set;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.report.Parameter;
import dev.gatehouse.report.ReportQuery;
import dev.gatehouse.report.Row;

/**
 * 6. Requests denied, held, expired, and who asked: requests the policy denied or the gateway refused (before
 * policy: 400/401/404/503), requests held for review and not let through, and every review that was opened, denied,
 * expired or cancelled — each with the person who asked.
 */
public final class RefusedRequests extends EventReport {
    private static final Set<String> REVIEW_STEPS = Set.of("created", "denied", "expired", "cancelled");

    @Override
    public String name() {
        return "refused-requests";
    }

    @Override
    public String title() {
        return "Requests denied, held and expired, and who asked";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.optional("cluster", "only this cluster"),
                Parameter.optional("user", "only requests of this person"));
    }

    @Override
    public List<String> columns() {
        return List.of("seq", "time", "what", "askedBy", "groups", "cluster", "action", "resource", "decision",
                "code", "reason", "reviewId", "auditID");
    }

    @Override
    Row row(ReportQuery query, long seq, AuditEvent e) {
        String what;
        String asker;
        if (Events.completedRequest(e)) {
            String decision = Events.decision(e);
            int code = e.responseStatus() == null ? 0 : e.responseStatus().code();
            what = switch (decision) {
                case "deny" -> "denied";
                case "refused" -> "refused";
                case "review" -> code >= 400 ? "held, not let through" : null;
                default -> null;
            };
            asker = Events.user(e);
        } else if ("review".equals(Events.type(e)) && REVIEW_STEPS.contains(Events.verb(e))) {
            what = "review " + Events.verb(e);
            asker = Events.detail(e, "requester");
        } else {
            return null;
        }
        if (what == null || !matches(query.parameter("cluster"), Events.cluster(e))
                || !matches(query.parameter("user"), asker)) {
            return null;
        }
        String groups = "review".equals(Events.type(e)) ? "" : String.join(" ", Events.groups(e));
        return Row.of(seq, seq, Events.time(e), what, asker, groups, Events.cluster(e), Events.verb(e),
                Events.object(e), Events.decision(e), Events.code(e), Events.reason(e), Events.detail(e, "reviewId"),
                e.auditID());
    }
}
