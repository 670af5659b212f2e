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
 * @param unsignedFrom     the first position no verified signature covers, or -1 when every event is covered
 * @param unsignedTo       the last position no verified signature covers (inclusive), or -1
 * @param tailMatched      of the unsigned events, how many match the leaf hash the writer recorded for them in the
 *                         leaf sidecar when it wrote them (the sidecar is not signed: this detects an edit to the
 *                         events alone, not one that rewrote the sidecar too)
 * @param tailUnchecked    of the unsigned events, how many have no recorded leaf hash, so no change to them can be
 *                         detected (an event whose hash differs is a {@link Finding.Kind#MODIFIED} finding)
 * @param findings         everything wrong, in position order
 * @param counts           events per cluster and day
 * @param quietDays        per cluster, days without events between its first and last active day
 */
public record VerificationReport(long events, int checkpoints, long signedSize, long unsignedEvents,
                                 long unsignedFrom, long unsignedTo, long tailMatched, long tailUnchecked,
                                 List<Finding> findings, List<PeriodCount> counts, List<PeriodCount> quietDays) {
    public VerificationReport {
        findings = findings.stream().sorted(Comparator.comparingLong(Finding::position)).toList();
        counts = List.copyOf(counts);
        quietDays = List.copyOf(quietDays);
    }

    /**
     * True when nothing is wrong. It says nothing about events no signature covers yet: see {@link #covered()}.
     */
    public boolean ok() {
        return findings.isEmpty();
    }

    /** True when every event is covered by a checkpoint a trusted key signed. */
    public boolean covered() {
        return unsignedEvents == 0;
    }

    /** The first bad position, when there is one. */
    public Optional<Finding> firstBad() {
        return findings.stream().findFirst();
    }
}
