package dev.gatehouse.report.answers;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.audit.AuditEvent;

/** Reading the fields of an event that the reports share; every accessor is null-safe and answers "" for absent. */
final class Events {
    static final Set<String> MUTATIONS = Set.of("create", "update", "patch", "delete", "deletecollection");
    static final Set<String> READS = Set.of("get", "list", "watch");

    private Events() {
    }

    static String type(AuditEvent e) {
        return e.gatehouse() == null || e.gatehouse().type() == null ? "" : e.gatehouse().type();
    }

    /** A request's final event (ResponseComplete), the one that says how it ended. */
    static boolean completedRequest(AuditEvent e) {
        return "request".equals(type(e)) && AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage());
    }

    static String user(AuditEvent e) {
        return e.user() == null || e.user().username() == null ? "" : e.user().username();
    }

    static List<String> groups(AuditEvent e) {
        return e.user() == null || e.user().groups() == null ? List.of() : e.user().groups();
    }

    static String time(AuditEvent e) {
        return e.stageTimestamp() != null ? e.stageTimestamp() : s(e.requestReceivedTimestamp());
    }

    static String cluster(AuditEvent e) {
        return e.gatehouse() == null ? "" : s(e.gatehouse().cluster());
    }

    static String decision(AuditEvent e) {
        return e.gatehouse() == null ? "" : s(e.gatehouse().decision());
    }

    static String reason(AuditEvent e) {
        return e.gatehouse() == null ? "" : s(e.gatehouse().reason());
    }

    static String resource(AuditEvent e) {
        return e.objectRef() == null ? "" : s(e.objectRef().resource());
    }

    /** resource, or resource/subresource. */
    /** {@code resource[/subresource]}; for a request that names no resource (discovery, /version), its path. */
    static String resourcePath(AuditEvent e) {
        if (e.objectRef() == null || resource(e).isEmpty()) {
            String uri = s(e.requestURI());
            int query = uri.indexOf('?');
            return query < 0 ? uri : uri.substring(0, query);
        }
        String sub = e.objectRef().subresource();
        return resource(e) + (sub == null || sub.isEmpty() ? "" : "/" + sub);
    }

    static String subresource(AuditEvent e) {
        return e.objectRef() == null ? "" : s(e.objectRef().subresource());
    }

    static String namespace(AuditEvent e) {
        return e.objectRef() == null ? "" : s(e.objectRef().namespace());
    }

    static String name(AuditEvent e) {
        return e.objectRef() == null ? "" : s(e.objectRef().name());
    }

    static String verb(AuditEvent e) {
        return s(e.verb());
    }

    /** The response code, or "" when there was none. */
    static String code(AuditEvent e) {
        return e.responseStatus() == null ? "" : Integer.toString(e.responseStatus().code());
    }

    /** success when the gateway let it through and the cluster answered below 400, else failure. */
    static String outcome(AuditEvent e) {
        boolean allowed = !Set.of("deny", "refused").contains(decision(e));
        int code = e.responseStatus() == null ? 0 : e.responseStatus().code();
        return allowed && code > 0 && code < 400 ? "success" : "failure";
    }

    static String sourceIps(AuditEvent e) {
        return e.sourceIPs() == null ? "" : String.join(" ", e.sourceIPs());
    }

    static String detail(AuditEvent e, String key) {
        Map<String, String> d = e.gatehouse() == null ? null : e.gatehouse().details();
        return d == null ? "" : s(d.get(key));
    }

    static AuditEvent.Authn authn(AuditEvent e) {
        return e.gatehouse() == null ? null : e.gatehouse().authn();
    }

    static String method(AuditEvent e) {
        return authn(e) == null ? "" : s(authn(e).method());
    }

    static boolean breakGlass(AuditEvent e) {
        return authn(e) != null && authn(e).breakGlass();
    }

    static List<String> actors(AuditEvent e) {
        return authn(e) == null || authn(e).actorChain() == null ? List.of() : authn(e).actorChain();
    }

    /** "cluster/namespace/resource/name" with empty parts left out. */
    static String object(AuditEvent e) {
        StringBuilder out = new StringBuilder(cluster(e));
        for (String part : new String[] {namespace(e), resourcePath(e), name(e)}) {
            if (!part.isEmpty()) {
                out.append(out.isEmpty() || part.startsWith("/") ? "" : "/").append(part);
            }
        }
        return out.toString();
    }

    static String s(Object value) {
        return value == null ? "" : value.toString();
    }
}
