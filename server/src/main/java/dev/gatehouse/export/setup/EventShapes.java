package dev.gatehouse.export.setup;

import dev.gatehouse.export.EventShape;
import dev.gatehouse.export.ocsf.OcsfApiActivityShape;

/** The event shapes by configuration name. */
public final class EventShapes {
    private EventShapes() {
    }

    /** {@code kubernetes} (the log's own line) or {@code ocsf}. */
    public static EventShape named(String name) {
        return switch (name) {
            case "kubernetes" -> EventShape.KUBERNETES;
            case "ocsf" -> new OcsfApiActivityShape();
            default -> throw new IllegalArgumentException("export.shape: " + name + " (expected: kubernetes or ocsf)");
        };
    }
}
