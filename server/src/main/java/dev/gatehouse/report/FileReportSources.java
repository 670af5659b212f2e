package dev.gatehouse.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.checkpoint.PublicKeys;
import dev.gatehouse.audit.verify.LogVerifier;
import dev.gatehouse.audit.verify.VerificationReport;
import dev.gatehouse.session.RecordingStore;
import dev.gatehouse.session.SessionSummary;

/**
 * A log directory, the session store beside it (or none), and the keys the verifier trusts (null: the log's own
 * {@code keys/}).
 */
public record FileReportSources(Path logDirectory, RecordingStore sessions, PublicKeys trusted)
        implements ReportSources {
    @Override
    public Optional<SessionSummary> session(String id) throws IOException {
        return sessions == null ? Optional.empty() : sessions.summary(id);
    }

    @Override
    public VerificationReport verify() throws IOException {
        PublicKeys keys = trusted != null ? trusted : KeyDirectory.in(logDirectory).publicKeys();
        return new LogVerifier(keys).verify(logDirectory);
    }
}
