package dev.gatehouse.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.audit.checkpoint.Checkpoint;
import dev.gatehouse.audit.checkpoint.PublicKeys;
import dev.gatehouse.audit.verify.Finding;
import dev.gatehouse.audit.verify.VerificationReport;

/**
 * Checks an answer against a log: its rows hash to its {@code rowsSha256} and number {@code count} (the file was
 * not edited); its checkpoint is signed by a trusted key; the log verifies against its checkpoints with no finding
 * up to that checkpoint, and its root at that size is the one signed (the log was not edited); and the same query
 * over the same checkpoint re-derives the same rows (the answer is the log's).
 */
public final class ReportCheck {
    private ReportCheck() {
    }

    /** What the check found: no problems means the answer stands. */
    public record Result(List<String> problems, ReportAnswer rederived) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public static Result check(ReportAnswer answer, ReportRunner runner, PublicKeys trusted, VerificationReport log)
            throws IOException {
        List<String> problems = new ArrayList<>();
        if (!ReportAnswer.KIND.equals(answer.kind()) || answer.columns() == null || answer.rows() == null
                || answer.checkpoint() == null || answer.query() == null || answer.period() == null) {
            problems.add("the file is not a complete report answer (kind " + answer.kind() + ")");
            return new Result(problems, null);
        }
        if (!CanonicalRows.FORM.equals(answer.canonicalForm())) {
            problems.add("canonical form " + answer.canonicalForm() + " (expected: " + CanonicalRows.FORM + ")");
        }
        String hash = CanonicalRows.sha256(answer.columns(), answer.rows());
        if (!hash.equals(answer.rowsSha256())) {
            problems.add("the answer's rows hash to " + hash + ", not to its rowsSha256 " + answer.rowsSha256()
                    + ": the answer was changed");
        }
        if (answer.count() != answer.rows().size()) {
            problems.add("the answer has " + answer.rows().size() + " rows but says count " + answer.count());
        }
        Checkpoint checkpoint = answer.checkpoint().checkpoint();
        if (!trusted.verifies(checkpoint)) {
            problems.add("the answer's checkpoint (tree size " + checkpoint.treeSize() + ", key "
                    + checkpoint.keyId() + ") is not signed by a trusted key");
        }
        boolean inLog = runner.checkpoints().stream().anyMatch(c -> c.treeSize() == checkpoint.treeSize()
                && c.rootHash().equals(checkpoint.rootHash()) && c.signature().equals(checkpoint.signature()));
        if (!inLog) {
            problems.add("the answer's checkpoint (tree size " + checkpoint.treeSize() + ") is not among the log's "
                    + "checkpoints");
        }
        for (Finding f : log.findings()) {
            if (f.position() < checkpoint.treeSize()) {
                problems.add("the log does not verify: " + f);
            }
        }
        if (log.signedSize() < checkpoint.treeSize()) {
            problems.add("the log's verified checkpoints cover " + Math.max(0, log.signedSize())
                    + " events, fewer than the answer's checkpoint (" + checkpoint.treeSize() + ")");
        }
        ReportAnswer again;
        try {
            again = runner.derive(answer.reportQuery(), checkpoint);
        } catch (IllegalArgumentException e) {
            problems.add("the answer's query cannot be run again: " + e.getMessage());
            return new Result(problems, null);
        }
        if (!again.rowsSha256().equals(answer.rowsSha256())) {
            problems.add("re-derived from the log, the rows hash to " + again.rowsSha256() + " (" + again.count()
                    + " rows), not to the answer's " + answer.rowsSha256() + " (" + answer.count() + " rows)");
        }
        if (again.count() != answer.count()) {
            problems.add("re-derived from the log, the answer has " + again.count() + " rows, not " + answer.count());
        }
        if (!again.positions().equals(answer.positions())) {
            problems.add("re-derived from the log, the positions are " + again.positions() + ", not "
                    + answer.positions());
        }
        return new Result(problems, again);
    }
}
