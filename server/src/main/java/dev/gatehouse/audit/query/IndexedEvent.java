package dev.gatehouse.audit.query;

import java.util.List;

import dev.gatehouse.audit.AuditEvent;

/**
 * The columns the index keeps for one event, and where its line is in the log.
 */
record IndexedEvent(long seq, long segment, long offset, String time, String cluster, String user,
                    List<String> groups, String actors, String verb, String resource, String namespace, String name,
                    String decision, String reviewId, Integer code, String auditId) {

    static IndexedEvent of(long seq, long segment, long offset, AuditEvent e) {
        AuditEvent.Gatehouse g = e.gatehouse();
        AuditEvent.ObjectRef o = e.objectRef();
        List<String> actors = g == null || g.authn() == null || g.authn().actorChain() == null
                ? List.of() : g.authn().actorChain();
        return new IndexedEvent(seq, segment, offset,
                e.stageTimestamp() != null ? e.stageTimestamp() : e.requestReceivedTimestamp(),
                g == null ? null : g.cluster(),
                e.user() == null ? null : e.user().username(),
                e.user() == null || e.user().groups() == null ? List.of() : e.user().groups(),
                actors.isEmpty() ? null : "," + String.join(",", actors) + ",",
                e.verb(),
                o == null ? null : o.resource(),
                o == null ? null : o.namespace(),
                o == null ? null : o.name(),
                g == null ? null : g.decision(),
                g == null || g.details() == null ? null : g.details().get("reviewId"),
                e.responseStatus() == null ? null : e.responseStatus().code(),
                e.auditID());
    }
}
