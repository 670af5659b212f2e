package dev.gatehouse.report.answers;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.report.Parameter;
import dev.gatehouse.report.ReportQuery;
import dev.gatehouse.report.Row;

/**
 * 14. Who read the audit log itself: every evidence-read event (each call of the audit API and of this report API,
 * answered or refused), and each key rotation.
 */
public final class EvidenceReads extends EventReport {
    @Override
    public String name() {
        return "evidence-reads";
    }

    @Override
    public String title() {
        return "Who read the audit log";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.optional("user", "only this reader"));
    }

    @Override
    public List<String> columns() {
        return List.of("seq", "time", "user", "operation", "about", "asked", "results", "code", "outcome", "origin",
                "auditID");
    }

    @Override
    Row row(ReportQuery query, long seq, AuditEvent e) {
        if (!"evidence-read".equals(Events.type(e)) && !PrivilegedActions.KEY_EVENTS.contains(Events.type(e))) {
            return null;
        }
        if (!matches(query.parameter("user"), Events.user(e))) {
            return null;
        }
        Map<String, String> asked = new TreeMap<>(e.gatehouse().details() == null ? Map.of()
                : e.gatehouse().details());
        asked.remove("operation");
        asked.remove("results");
        asked.remove("publicKey");
        StringBuilder text = new StringBuilder();
        asked.forEach((k, v) -> text.append(text.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return Row.of(seq, seq, Events.time(e), Events.user(e), Events.verb(e), Events.resource(e), text,
                Events.detail(e, "results"), Events.code(e), Events.outcome(e), Events.sourceIps(e), e.auditID());
    }
}
