package dev.gatehouse.export;

import dev.gatehouse.audit.AuditEvent;

/** How an exporter writes an event: any sink can use any shape ({@code export.setup.EventShapes} by name). */
public interface EventShape {
    /** The event as UTF-8 JSON; {@code line} is its exact line in the log. */
    byte[] shape(AuditEvent event, byte[] line);

    /** The Kubernetes {@code audit.k8s.io/v1} Event with the gatehouse section: the log's own line, unchanged. */
    EventShape KUBERNETES = (event, line) -> line;
}
