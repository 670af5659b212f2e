package dev.gatehouse.report.answers;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.gatehouse.export.setup.EventShapes;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.export.EventShape;
import dev.gatehouse.report.Parameter;
import dev.gatehouse.report.ReportQuery;
import dev.gatehouse.report.Row;

/**
 * 15. The period's events for a SIEM, in one of the exporters' shapes ({@code export.EventShape}): {@code kubernetes}
 * (the log's own {@code audit.k8s.io/v1} line, unchanged) or {@code ocsf} (OCSF API Activity). One row per event:
 * its position and the shaped JSON.
 */
public final class SiemExport extends EventReport {
    @Override
    public String name() {
        return "siem-export";
    }

    @Override
    public String title() {
        return "Events of a period for the SIEM";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.optional("shape", "kubernetes (default) or ocsf"));
    }

    @Override
    public List<String> columns() {
        return List.of("seq", "event");
    }

    @Override
    Row row(ReportQuery query, long seq, AuditEvent event) {
        throw new IllegalStateException("the SIEM export reads each event's line");
    }

    @Override
    public void validate(ReportQuery query) {
        shape(query);
    }

    private static EventShape shape(ReportQuery query) {
        String name = query.parameter("shape") == null ? "kubernetes" : query.parameter("shape");
        if (!name.equals("kubernetes") && !name.equals("ocsf")) {
            throw new IllegalArgumentException("report siem-export: shape=" + name + " (expected: kubernetes or ocsf)");
        }
        return EventShapes.named(name);
    }

    @Override
    Row row(ReportQuery query, long seq, AuditEvent event, byte[] line) {
        EventShape shape = shape(query);
        return Row.of(seq, seq, new String(shape.shape(event, line), StandardCharsets.UTF_8));
    }
}
