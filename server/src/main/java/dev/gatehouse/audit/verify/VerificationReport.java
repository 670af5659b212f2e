package dev.gatehouse.audit.verify;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What {@link LogVerifier} found.
 *
 * @param events           lines read
 * @param checkpoints      checkpoints whose signature a trusted key verifies
 * @param signedSize       the largest tree size a verified checkpoint signed (-1 when none)
 * @param unsignedEvents   events after the last verified checkpoint (not yet covered by a signature)
 * @param findings         everything wrong, in position order
 * @param counts           events per cluster and day
 * @param quietDays        per cluster, days without events between its first and last active day
 */
public record VerificationReport(long events, int checkpoints, long signedSize, long unsignedEvents,
                                 List<Finding> findings, List<PeriodCount> counts, List<PeriodCount> quietDays) {
    public VerificationReport {
        findings = findings.stream().sorted(Comparator.comparingLong(Finding::position)).toList();
        counts = List.copyOf(counts);
        quietDays = List.copyOf(quietDays);
    }

    /** True when nothing is wrong and at least one checkpoint verified (or the log is empty). */
    public boolean ok() {
        return findings.isEmpty();
    }

    /** The first bad position, when there is one. */
    public Optional<Finding> firstBad() {
        return findings.stream().findFirst();
    }
}
