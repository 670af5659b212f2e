package dev.gatehouse.report;

import java.util.List;

import dev.gatehouse.audit.AuditEvent;

/**
 * One of the auditor's questions. A report reads the log's events in position order through a {@link Collector}
 * and answers with rows under fixed {@link #columns()}. It must be a pure function of the events it is given (and,
 * for {@link #usesSessions()}, of the session summaries): the same log gives the same rows, which is what lets
 * {@code gatehouse report check} re-derive an answer.
 */
public interface Report {
    /** The name in URLs and on the command line: lower case words joined by '-'. */
    String name();

    /** A title for people. */
    String title();

    /** The parameters it takes beside {@code from} and {@code to}. */
    default List<Parameter> parameters() {
        return List.of();
    }

    List<String> columns();

    /**
     * True when the report must also see the events before the period (a dormant identity's last use, a review
     * approved before the period began); it then filters by {@link ReportQuery#covers} itself.
     */
    default boolean wholeHistory() {
        return false;
    }

    /** True when the rows also rest on the session summaries beside the recordings. */
    default boolean usesSessions() {
        return false;
    }

    /**
     * Checks the values of {@code query}'s parameters before anything is read; fails with an
     * {@link IllegalArgumentException} that names the parameter and what it expects.
     */
    default void validate(ReportQuery query) {
    }

    /** A collector for one run; {@code query}'s parameters have been checked against {@link #parameters()}. */
    Collector start(ReportQuery query, ReportSources sources);

    /** Reads one run's events and gives its rows. */
    interface Collector {
        /** The event at {@code seq}, in increasing position order. */
        void accept(long seq, AuditEvent event);

        /** The event at {@code seq} with its exact line in the log; by default {@link #accept(long, AuditEvent)}. */
        default void accept(long seq, AuditEvent event, byte[] line) {
            accept(seq, event);
        }

        /** A line at {@code seq} that is not an event (the runner lists it in the answer's positions too). */
        default void unreadable(long seq) {
        }

        /** The rows, once every event was given, in an order that depends only on the events. */
        List<Row> rows();
    }
}
