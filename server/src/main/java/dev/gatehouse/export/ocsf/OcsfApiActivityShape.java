package dev.gatehouse.export.ocsf;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.export.EventShape;

/**
 * Maps an audit event to OCSF 1.3 API Activity (class_uid 6003): the verb as activity (create 1, read 2,
 * update 3, delete 4, other 99), the user as actor, the Kubernetes object as resource, the cluster as API
 * service, the response code as status; Gatehouse's own fields under {@code unmapped.gatehouse}.
 */
public final class OcsfApiActivityShape implements EventShape {
    static final int CLASS_UID = 6003;

    @Override
    public byte[] shape(AuditEvent e, byte[] line) {
        Map<String, Object> o = new LinkedHashMap<>();
        int activity = activity(e.verb());
        Integer code = e.responseStatus() == null ? null : e.responseStatus().code();
        o.put("class_uid", CLASS_UID);
        o.put("class_name", "API Activity");
        o.put("category_uid", 6);
        o.put("category_name", "Application Activity");
        o.put("activity_id", activity);
        o.put("activity_name", activity == 99 ? "Other" : e.verb());
        o.put("type_uid", CLASS_UID * 100 + activity);
        o.put("severity_id", 1);
        o.put("status_id", code == null ? 0 : code < 400 ? 1 : 2);
        if (code != null) {
            o.put("status_code", Integer.toString(code));
        }
        o.put("time", millis(e.stageTimestamp()));
        o.put("metadata", Map.of("version", "1.3.0", "uid", e.auditID(),
                "product", Map.of("name", "Gatehouse", "vendor_name", "Gatehouse"),
                "sequence", e.gatehouse() == null || e.gatehouse().seq() == null ? -1 : e.gatehouse().seq()));
        o.put("actor", actor(e));
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("operation", e.verb());
        api.put("request", Map.of("uid", e.auditID()));
        if (e.gatehouse() != null && e.gatehouse().cluster() != null) {
            api.put("service", Map.of("name", e.gatehouse().cluster()));
        }
        o.put("api", api);
        if (e.objectRef() != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("type", e.objectRef().resource());
            r.put("name", e.objectRef().name());
            if (e.objectRef().namespace() != null) {
                r.put("namespace", e.objectRef().namespace());
            }
            o.put("resources", List.of(r));
        }
        if (e.sourceIPs() != null && !e.sourceIPs().isEmpty()) {
            o.put("src_endpoint", Map.of("ip", e.sourceIPs().getFirst()));
        }
        if (e.requestURI() != null) {
            Map<String, Object> req = new LinkedHashMap<>();
            req.put("url", Map.of("path", e.requestURI()));
            if (e.userAgent() != null) {
                req.put("user_agent", e.userAgent());
            }
            o.put("http_request", req);
        }
        if (e.gatehouse() != null) {
            o.put("unmapped", Map.of("gatehouse", e.gatehouse()));
        }
        try {
            return AuditEventJson.mapper().writeValueAsBytes(o);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("event " + e.auditID() + " cannot be written as OCSF", ex);
        }
    }

    private static Map<String, Object> actor(AuditEvent e) {
        Map<String, Object> user = new LinkedHashMap<>();
        if (e.user() != null) {
            user.put("name", e.user().username());
            if (e.user().uid() != null) {
                user.put("uid", e.user().uid());
            }
            if (e.user().groups() != null) {
                List<Map<String, String>> groups = new ArrayList<>();
                e.user().groups().forEach(g -> groups.add(Map.of("name", g)));
                user.put("groups", groups);
            }
        }
        return Map.of("user", user);
    }

    static int activity(String verb) {
        if (verb == null) {
            return 99;
        }
        return switch (verb) {
            case "create" -> 1;
            case "get", "list", "watch" -> 2;
            case "update", "patch" -> 3;
            case "delete", "deletecollection" -> 4;
            default -> 99;
        };
    }

    private static long millis(String ts) {
        try {
            return ts == null ? 0 : Instant.parse(ts).toEpochMilli();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
