package dev.gatehouse.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The log's own events ({@code gatehouse.type=system}): what the log did to itself (a torn tail cut after a
 * crash, a checkpoint signed, a key rotated, segments deleted past retention) and who read the evidence. They
 * are ordinary events, so one verification covers them with everything else. {@code objectRef.resource} names
 * what the event is about ({@code auditlog}, {@code auditkeys}, {@code auditqueries}); {@code verb} what happened.
 */
public final class SystemEvents {
    public static final String TYPE = "system";
    public static final String GATEHOUSE_USER = "system:gatehouse";
    /** {@code gatehouse.type} of a rotation of the checkpoint signing key, whoever made it. */
    public static final String KEY_ROTATION = "key-rotation";

    private SystemEvents() {
    }

    /** An event by the gateway itself about {@code resource}, with {@code details} as flat strings. */
    public static AuditEvent of(String verb, String resource, String name, String reason, Map<String, String> details) {
        return by(GATEHOUSE_USER, verb, resource, name, reason, details);
    }

    /** An event by {@code username} (for example an auditor running a query) about {@code resource}. */
    public static AuditEvent by(String username, String verb, String resource, String name, String reason,
                                Map<String, String> details) {
        return event(TYPE, username, verb, resource, name, reason, details);
    }

    private static AuditEvent event(String type, String username, String verb, String resource, String name,
                                    String reason, Map<String, String> details) {
        Instant now = Instant.now();
        return AuditEvent.builder().auditID(UUID.randomUUID().toString()).requestURI("").verb(verb)
                .user(new AuditEvent.UserInfo(username, null, null, null)).userAgent("gatehouse")
                .objectRef(new AuditEvent.ObjectRef(resource, null, name, "gatehouse.dev", "v1", null))
                .receivedAt(now).stageAt(now)
                .gatehouse(new AuditEvent.Gatehouse(type, null, null, null, reason, null, null, null, null, null,
                        Map.copyOf(new LinkedHashMap<>(details)))).build();
    }

    /**
     * {@code username} rotated the checkpoint signing key ({@code gatehouse.type} {@value #KEY_ROTATION}, about
     * {@code auditkeys}); the details carry the retired key, the new key and its public half.
     */
    public static AuditEvent keyRotated(String username, AuditLog.KeyRotation rotation, String reason,
                                        Map<String, String> more) {
        Map<String, String> details = new LinkedHashMap<>(more);
        details.put("previousKeyId", rotation.previousKeyId());
        details.put("keyId", rotation.keyId());
        details.put("publicKey", rotation.publicKeyPem());
        return event(KEY_ROTATION, username, "rotate-key", "auditkeys", rotation.keyId(), reason, details);
    }

    /** Recovery cut a torn tail after a crash. */
    public static AuditEvent tornTailCut(String segment, long nextSeq, long bytes, String keptIn) {
        return of("recover", "auditlog", segment,
                "cut a torn tail of " + bytes + " bytes after a crash; the bytes are kept in " + keptIn,
                Map.of("segment", segment, "position", Long.toString(nextSeq), "cutBytes", Long.toString(bytes),
                        "keptIn", keptIn));
    }

    /**
     * Someone read the evidence: {@code action} is query, export, verify or prove; {@code details} what they asked
     * (filters, event id). The API records this for every read against a live gateway.
     */
    public static AuditEvent evidenceRead(String username, String action, Map<String, String> details) {
        return by(username, action, "auditlog", null, username + " ran audit " + action, details);
    }

    /** {@code event} with a {@code gatehouse} section (so it can carry its position), adding one when absent. */
    public static AuditEvent withGatehouseSection(AuditEvent event) {
        if (event.gatehouse() != null) {
            return event;
        }
        return new AuditEvent(event.kind(), event.apiVersion(), event.level(), event.auditID(), event.stage(),
                event.requestURI(), event.verb(), event.user(), event.impersonatedUser(), event.sourceIPs(),
                event.userAgent(), event.objectRef(), event.responseStatus(), event.requestReceivedTimestamp(),
                event.stageTimestamp(), event.annotations(),
                new AuditEvent.Gatehouse(null, null, null, null, null, null, null, null, null, null, null));
    }
}
