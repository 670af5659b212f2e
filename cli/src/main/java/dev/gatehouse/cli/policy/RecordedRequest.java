package dev.gatehouse.cli.policy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;

/**
 * A request as the audit log recorded it, rebuilt for a policy to decide again: the identity from the event's
 * {@code user} and {@code gatehouse.authn} (method, issuer, actor chain, attributes), the classification from its
 * {@code objectRef} and verb (what the classify stage produced), the path from {@code requestURI}.
 *
 * @param event    the recorded event
 * @param time     when the request was received
 * @param identity who made it
 * @param request  what it asked
 */
record RecordedRequest(AuditEvent event, Instant time, Identity identity, RequestInfo request) {

    /** The recorded decision: allow, deny or review. */
    String decision() {
        return event.gatehouse().decision();
    }

    /** {@code verb resource[/sub] namespace/name}, for a table. */
    String describe() {
        RequestInfo r = request;
        if (!r.resourceRequest()) {
            return r.verb() + " " + r.path();
        }
        String res = r.resource() + (r.subresource().isEmpty() ? "" : "/" + r.subresource());
        String where = r.namespace().isEmpty() ? r.name() : r.namespace() + (r.name().isEmpty() ? "" : "/" + r.name());
        return r.verb() + " " + res + (where.isEmpty() ? "" : " " + where);
    }

    /**
     * The request {@code e} records, or null when it is not a completed request with a policy decision (other
     * event types, other stages, requests refused before policy) or carries no identity to replay.
     */
    static RecordedRequest of(AuditEvent e) {
        AuditEvent.Gatehouse g = e.gatehouse();
        if (g == null || !"request".equals(g.type()) || !AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage())
                || !List.of("allow", "deny", "review").contains(g.decision())) {
            return null;
        }
        Identity identity = identity(e);
        if (identity == null || e.verb() == null) {
            return null;
        }
        String cluster = g.cluster() == null ? "" : g.cluster();
        String path = path(e.requestURI(), cluster);
        AuditEvent.ObjectRef o = e.objectRef();
        RequestInfo request = o == null ? RequestInfo.nonResource(cluster, path, e.verb())
                : new RequestInfo(cluster, path, true, e.verb(), nz(o.apiGroup()).isEmpty() ? "api" : "apis",
                nz(o.apiGroup()), o.apiVersion(), o.namespace(), o.resource(), o.subresource(), o.name());
        return new RecordedRequest(e, time(e), identity, request);
    }

    private static Identity identity(AuditEvent e) {
        AuditEvent.UserInfo user = e.user();
        AuditEvent.Authn authn = e.gatehouse().authn();
        if (user == null || user.username() == null || authn == null || authn.method() == null) {
            return null;
        }
        AuthenticationMethod method = null;
        for (AuthenticationMethod m : AuthenticationMethod.values()) {
            if (m.wireName().equals(authn.method())) {
                method = m;
            }
        }
        if (method == null) {
            return null;
        }
        String issuer = nz(authn.issuer());
        List<Identity.Actor> actors = authn.actorChain() == null ? List.of()
                : authn.actorChain().stream().map(a -> new Identity.Actor(a, issuer)).toList();
        Map<String, String> attributes = authn.attributes() == null ? Map.of() : authn.attributes();
        return new Identity(user.username(), user.uid(), user.groups(), issuer, method, actors, attributes,
                authn.credentialId(), null);
    }

    /** The path the cluster saw: the request URI without its query and without {@code /clusters/<name>}. */
    static String path(String requestUri, String cluster) {
        if (requestUri == null) {
            return "";
        }
        int q = requestUri.indexOf('?');
        String p = q < 0 ? requestUri : requestUri.substring(0, q);
        String prefix = "/clusters/" + cluster;
        if (!cluster.isEmpty() && p.startsWith(prefix + "/")) {
            return p.substring(prefix.length());
        }
        return p.equals(prefix) ? "/" : p;
    }

    private static Instant time(AuditEvent e) {
        String t = e.requestReceivedTimestamp() != null ? e.requestReceivedTimestamp() : e.stageTimestamp();
        try {
            return t == null ? Instant.EPOCH : Instant.parse(t);
        } catch (DateTimeParseException bad) {
            return Instant.EPOCH;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
