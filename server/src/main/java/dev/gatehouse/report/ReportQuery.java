package dev.gatehouse.report;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

import dev.gatehouse.audit.AuditEvent;

/**
 * What an answer answers: the report's name, the period {@code [from, to)} (by each event's
 * {@code stageTimestamp}) and its parameters (sorted by name, so one query has one spelling).
 */
public record ReportQuery(String name, Instant from, Instant to, Map<String, String> parameters) {
    public ReportQuery {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("report: a name is required");
        }
        if (from == null || to == null) {
            throw new IllegalArgumentException("period: from and to are required");
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from=" + from + " (expected: before to=" + to + ")");
        }
        parameters = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
    }

    /** True when {@code event} happened within the period. Events without a readable time are outside. */
    public boolean covers(AuditEvent event) {
        Instant at = time(event);
        return at != null && !at.isBefore(from) && at.isBefore(to);
    }

    /** The parameter, or null. */
    public String parameter(String parameter) {
        return parameters.get(parameter);
    }

    /** When {@code event} happened (its {@code stageTimestamp}, else when it was received), or null. */
    public static Instant time(AuditEvent event) {
        String text = event.stageTimestamp() != null ? event.stageTimestamp() : event.requestReceivedTimestamp();
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
