package dev.gatehouse.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import dev.gatehouse.audit.verify.VerificationReport;
import dev.gatehouse.session.SessionSummary;

/**
 * What a report may read beside the events: the session summaries written beside the recordings, and the log's
 * verification. Both are read from files, so an answer re-derived elsewhere reads the same ones.
 */
public interface ReportSources {
    /** The summary of a finished session, or empty when there is none (never finished, or not kept). */
    Optional<SessionSummary> session(String id) throws IOException;

    /** The whole log verified against its signed checkpoints with the trusted keys. */
    VerificationReport verify() throws IOException;

    /** The log directory. */
    Path logDirectory();
}
