package dev.gatehouse.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Audit events for tests, shaped as the gateway writes them for API requests. */
public final class TestEvents {
    private TestEvents() {
    }

    public static AuditEvent request(String user, String verb, String resource, String namespace, int code) {
        return request(user, "prod", verb, resource, namespace, "web", code, Instant.now());
    }

    public static AuditEvent request(String user, String cluster, String verb, String resource, String namespace,
                                     String name, int code, Instant at) {
        String ts = AuditEvent.timestamp(at);
        String uri = "/api/v1/namespaces/" + namespace + "/" + resource + "/" + name;
        return new AuditEvent("Event", "audit.k8s.io/v1", "Metadata", UUID.randomUUID().toString(),
                AuditEvent.STAGE_RESPONSE_COMPLETE, uri, verb,
                new AuditEvent.UserInfo(user, "uid-" + user, List.of("developers", "system:authenticated"), null),
                new AuditEvent.UserInfo(user, null, List.of("developers"), null), List.of("10.0.0.7"), "kubectl/v1.31",
                new AuditEvent.ObjectRef(resource, namespace, name, "", "v1", null),
                new AuditEvent.ResponseStatus(null, null, null, null, code), ts, ts, null,
                new AuditEvent.Gatehouse("request", null, cluster, code < 400 ? "allow" : "deny", "rule dev-read",
                        1200L, 0L, 512L, new AuditEvent.Authn("oidc", "https://idp.example", "kid-1", false, null, null),
                        "impersonate", Map.of()));
    }

    public static AuditEvent any() {
        return request("alice", "get", "pods", "default", 200);
    }
}
