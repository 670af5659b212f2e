package dev.gatehouse.report.answers;

import java.util.List;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.report.Parameter;
import dev.gatehouse.report.ReportQuery;
import dev.gatehouse.report.Row;

/**
 * 7. Who read which Secrets: every get, list and watch of core-group {@code secrets} that reached a decision — names
 * only (the log never holds a value). A list or watch has no name: the row says which namespace (or all).
 */
public final class SecretReads extends EventReport {
    @Override
    public String name() {
        return "secret-reads";
    }

    @Override
    public String title() {
        return "Who read which Secrets";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.optional("cluster", "only this cluster"),
                Parameter.optional("namespace", "only this namespace"));
    }

    @Override
    public List<String> columns() {
        return List.of("seq", "time", "user", "groups", "cluster", "namespace", "secret", "verb", "decision",
                "code", "outcome", "auditID");
    }

    @Override
    Row row(ReportQuery query, long seq, AuditEvent e) {
        if (!Events.completedRequest(e) || !"secrets".equals(Events.resource(e)) || !Events.READS.contains(
                Events.verb(e)) || e.objectRef() != null && e.objectRef().apiGroup() != null
                && !e.objectRef().apiGroup().isEmpty()) {
            return null;
        }
        if (!matches(query.parameter("cluster"), Events.cluster(e))
                || !matches(query.parameter("namespace"), Events.namespace(e))) {
            return null;
        }
        String secret = Events.name(e).isEmpty() ? "(all, by " + Events.verb(e) + ")" : Events.name(e);
        return Row.of(seq, seq, Events.time(e), Events.user(e), String.join(" ", Events.groups(e)),
                Events.cluster(e), Events.namespace(e).isEmpty() ? "(all namespaces)" : Events.namespace(e), secret,
                Events.verb(e), Events.decision(e), Events.code(e), Events.outcome(e), e.auditID());
    }
}
