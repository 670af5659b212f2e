package dev.gatehouse.report.answers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.report.Parameter;
import dev.gatehouse.report.Report;
import dev.gatehouse.report.ReportQuery;
import dev.gatehouse.report.ReportSources;
import dev.gatehouse.report.Row;

/**
 * 5. For every request held for review (opened in the period): was approval given before the action, by someone
 * other than the requester? "Before" is by log position — the decisive approval's event precedes the first event
 * of the request let through — so no clock is trusted. The action is the first request event carrying the review's
 * id that is not a refusal and not a held session still waiting. A break-glass self-approval is shown as such.
 */
public final class HeldRequests implements Report {
    @Override
    public String name() {
        return "held-requests";
    }

    @Override
    public String title() {
        return "Held requests: approved before the action, by someone other than the requester";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.optional("cluster", "only this cluster"));
    }

    @Override
    public List<String> columns() {
        return List.of("seq", "reviewId", "requester", "cluster", "action", "resource", "openedAt", "state",
                "approvers", "approvedAt", "approvalSeq", "actionAt", "actionSeq", "actionAuditID",
                "approvedBeforeAction", "approverNotRequester", "breakGlass", "verdict");
    }

    @Override
    public boolean wholeHistory() {
        return true;
    }

    private static final class Held {
        long seq;
        AuditEvent opened;
        String state = "pending";
        final List<String> approvers = new ArrayList<>();
        boolean selfApproved;
        boolean breakGlass;
        AuditEvent decisive;
        long decisiveSeq = -1;
        AuditEvent action;
        long actionSeq = -1;
    }

    @Override
    public Collector start(ReportQuery query, ReportSources sources) {
        Map<String, Held> reviews = new LinkedHashMap<>();
        return new Collector() {
            @Override
            public void accept(long seq, AuditEvent e) {
                String id = Events.detail(e, "reviewId");
                if (id.isEmpty()) {
                    return;
                }
                if ("review".equals(Events.type(e))) {
                    review(seq, e, id);
                } else if ("request".equals(Events.type(e))) {
                    Held held = reviews.get(id);
                    if (held != null && held.action == null && action(e)) {
                        held.action = e;
                        held.actionSeq = seq;
                    }
                }
            }

            private void review(long seq, AuditEvent e, String id) {
                if ("created".equals(Events.verb(e))) {
                    if (query.covers(e) && EventReport.matches(query.parameter("cluster"), Events.cluster(e))) {
                        Held held = new Held();
                        held.seq = seq;
                        held.opened = e;
                        reviews.putIfAbsent(id, held);
                    }
                    return;
                }
                Held held = reviews.get(id);
                if (held == null) {
                    return;
                }
                held.state = Events.decision(e);
                if ("approved".equals(Events.verb(e))) {
                    held.approvers.add(Events.user(e));
                    if (Events.user(e).equals(Events.detail(held.opened, "requester"))) {
                        held.selfApproved = true;
                    }
                    held.breakGlass |= "true".equals(Events.detail(e, "breakGlass"));
                    if ("true".equals(Events.detail(e, "decisive")) && held.decisive == null) {
                        held.decisive = e;
                        held.decisiveSeq = seq;
                    }
                }
            }

            @Override
            public List<Row> rows() {
                List<Row> rows = new ArrayList<>();
                reviews.forEach((id, h) -> rows.add(row(id, h)));
                return rows;
            }
        };
    }

    /** A request event that went ahead: not refused, not a held session still waiting. */
    private static boolean action(AuditEvent e) {
        if ("true".equals(Events.detail(e, "pending")) || Events.decision(e).equals("deny")
                || Events.decision(e).equals("refused")) {
            return false;
        }
        return e.responseStatus() == null || e.responseStatus().code() < 400;
    }

    private static Row row(String id, Held h) {
        String requester = Events.detail(h.opened, "requester");
        boolean approved = h.decisive != null;
        boolean acted = h.action != null;
        String before = !acted ? "n/a" : approved && h.decisiveSeq < h.actionSeq ? "yes" : "no";
        String other = h.approvers.isEmpty() ? "n/a" : h.selfApproved ? "no" : "yes";
        String verdict;
        if (acted && !"yes".equals(before)) {
            verdict = "VIOLATION: acted without a prior approval";
        } else if (acted && h.selfApproved) {
            verdict = h.breakGlass ? "break-glass self-approval" : "VIOLATION: approved by the requester";
        } else if (acted) {
            verdict = "ok";
        } else {
            verdict = "not acted on";
        }
        return Row.of(h.seq, h.seq, id, requester, Events.cluster(h.opened), 
                h.action == null ? "" : Events.verb(h.action), Events.object(h.opened),
                Events.time(h.opened), h.state, String.join(" ", h.approvers),
                h.decisive == null ? "" : Events.time(h.decisive), h.decisiveSeq < 0 ? "" : h.decisiveSeq,
                h.action == null ? "" : Events.time(h.action), h.actionSeq < 0 ? "" : h.actionSeq,
                h.action == null ? "" : h.action.auditID(), before, other, h.breakGlass, verdict);
    }
}
