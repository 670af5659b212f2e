package dev.gatehouse.audit.file;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.SystemEvents;

/**
 * The system event a log records when it opens after an unclean stop (verb {@code recover}, about
 * {@code auditlog}): the evidence of the crash, signed by the first checkpoint after it. Details:
 * <ul>
 *   <li>{@code uncleanStop}: whether the previous holder of the lock left without closing the log, and
 *       {@code previousHolder} ({@code pid <n>}) when it did;</li>
 *   <li>{@code position}: the log's end when it was opened (the recovery event's own position);</li>
 *   <li>{@code lastSignedSize}: how many events the last checkpoint covered; {@code unsignedEvents} and
 *       {@code unsignedFrom}/{@code unsignedTo}: the events no checkpoint covered at the stop (signed now, by the
 *       checkpoint that covers this event);</li>
 *   <li>{@code unsignedLeavesMatched}, {@code unsignedLeavesMissing}, {@code unsignedLeavesDiffering}: how those
 *       events compare with the leaf hashes the writer recorded before the stop (missing: never written out, so a
 *       change to them while the gateway was down cannot be detected; differing: positions, changed or damaged);</li>
 *   <li>{@code tailCut}: whether a torn tail was cut, and then {@code segment}, {@code cutBytes}, {@code keptIn}.</li>
 * </ul>
 */
final class RecoveryEvent {
    private RecoveryEvent() {
    }

    static AuditEvent of(GroupCommitWriter.Recovered r) {
        Map<String, String> details = new LinkedHashMap<>();
        StringBuilder reason = new StringBuilder("recovered after ");
        details.put("uncleanStop", Boolean.toString(r.previousHolder() != null));
        if (r.previousHolder() != null) {
            details.put("previousHolder", r.previousHolder());
            reason.append("an unclean stop of ").append(r.previousHolder());
        } else {
            reason.append("a stop that left the log incomplete");
        }
        LogRecovery.UnsignedTail tail = r.unsigned();
        if (tail != null) {
            details.put("position", Long.toString(tail.end()));
            details.put("lastSignedSize", Long.toString(tail.from()));
            details.put("unsignedEvents", Long.toString(tail.count()));
            if (tail.count() > 0) {
                details.put("unsignedFrom", Long.toString(tail.from()));
                details.put("unsignedTo", Long.toString(tail.end() - 1));
                details.put("unsignedLeavesMatched", Long.toString(tail.matched()));
                details.put("unsignedLeavesMissing", Long.toString(tail.missing()));
                details.put("unsignedLeavesDiffering", tail.differing().stream().map(String::valueOf)
                        .collect(Collectors.joining(",")));
            }
            reason.append("; log end ").append(tail.end()).append(", ").append(tail.count())
                    .append(" event(s) were not signed at the stop");
            if (tail.count() > 0) {
                reason.append(" (positions ").append(tail.from()).append("..").append(tail.end() - 1).append(": ")
                        .append(tail.matched()).append(" match their recorded leaf hash, ").append(tail.missing())
                        .append(" had none");
                if (!tail.differing().isEmpty()) {
                    reason.append(", ").append(tail.differing().size()).append(" DIFFER (positions ")
                            .append(details.get("unsignedLeavesDiffering")).append(")");
                }
                reason.append(")");
            }
        }
        TailRecovery.Result cut = r.cut();
        details.put("tailCut", Boolean.toString(cut != null));
        String segment = "-";
        if (cut != null) {
            String keptIn = cut.quarantine().getFileName().toString();
            segment = keptIn.replaceAll("\\.torn-.*", "");
            details.put("segment", segment);
            details.put("cutBytes", Long.toString(cut.cutBytes()));
            details.put("keptIn", keptIn);
            reason.append("; cut a torn tail of ").append(cut.cutBytes()).append(" bytes after position ")
                    .append(cut.nextSeq() - 1).append(", kept in ").append(keptIn);
        }
        return SystemEvents.of("recover", "auditlog", segment, reason.toString(), details);
    }
}
