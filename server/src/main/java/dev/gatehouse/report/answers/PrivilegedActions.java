package dev.gatehouse.report.answers;

import java.util.List;
import java.util.Set;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.report.Parameter;
import dev.gatehouse.report.ReportQuery;
import dev.gatehouse.report.Row;

/**
 * 3. Privileged actions in a period, with the PCI DSS 10.2.2 fields: user, event type, date and time, success or
 * failure, origin, affected resource. Privileged: every change (create, update, patch, delete, deletecollection),
 * every exec, attach and port-forward, every read of Secrets, every request on RBAC objects, every request made
 * with a break-glass credential, and the gateway's own key rotations.
 */
public final class PrivilegedActions extends EventReport {
    static final Set<String> RBAC = Set.of("roles", "rolebindings", "clusterroles", "clusterrolebindings");
    static final Set<String> SESSIONS = Set.of("exec", "attach", "portforward");
    static final Set<String> KEY_EVENTS = Set.of("key-rotation", "mask-key-rotation");

    @Override
    public String name() {
        return "privileged-actions";
    }

    @Override
    public String title() {
        return "Privileged actions (PCI DSS 10.2.2)";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.optional("cluster", "only this cluster"),
                Parameter.optional("user", "only this user"));
    }

    @Override
    public List<String> columns() {
        return List.of("seq", "time", "user", "eventType", "outcome", "code", "origin", "userAgent", "cluster",
                "resource", "why", "breakGlass", "auditID");
    }

    @Override
    Row row(ReportQuery query, long seq, AuditEvent e) {
        boolean request = Events.completedRequest(e);
        boolean key = KEY_EVENTS.contains(Events.type(e));
        if (!request && !key || !privileged(e) && !key) {
            return null;
        }
        if (!matches(query.parameter("cluster"), Events.cluster(e)) || !matches(query.parameter("user"),
                Events.user(e))) {
            return null;
        }
        return Row.of(seq, seq, Events.time(e), Events.user(e), Events.verb(e) + " " + Events.resourcePath(e),
                Events.outcome(e), Events.code(e), Events.sourceIps(e), e.userAgent(), Events.cluster(e),
                Events.object(e), why(e), Events.breakGlass(e), e.auditID());
    }

    static boolean privileged(AuditEvent e) {
        return Events.MUTATIONS.contains(Events.verb(e)) || SESSIONS.contains(Events.subresource(e))
                || "secrets".equals(Events.resource(e)) || RBAC.contains(Events.resource(e)) || Events.breakGlass(e);
    }

    /** Why the action is privileged, in words. */
    private static String why(AuditEvent e) {
        if (KEY_EVENTS.contains(Events.type(e))) {
            return "key rotation";
        }
        if (Events.breakGlass(e)) {
            return "break-glass credential";
        }
        if (SESSIONS.contains(Events.subresource(e))) {
            return "session";
        }
        if ("secrets".equals(Events.resource(e))) {
            return "secret";
        }
        if (RBAC.contains(Events.resource(e))) {
            return "rbac";
        }
        return "change";
    }
}
