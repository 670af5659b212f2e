package dev.gatehouse.export;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.export.ocsf.OcsfApiActivityShape;

/** How an exporter writes an event: any sink can use any shape. */
public interface EventShape {
    /** The event as UTF-8 JSON; {@code line} is its exact line in the log. */
    byte[] shape(AuditEvent event, byte[] line);

    /** The Kubernetes {@code audit.k8s.io/v1} Event with the gatehouse section: the log's own line, unchanged. */
    EventShape KUBERNETES = (event, line) -> line;

    /** By configuration name: {@code kubernetes} or {@code ocsf}. */
    static EventShape named(String name) {
        return switch (name) {
            case "kubernetes" -> KUBERNETES;
            case "ocsf" -> new OcsfApiActivityShape();
            default -> throw new IllegalArgumentException("export.shape: " + name + " (expected: kubernetes or ocsf)");
        };
    }
}
