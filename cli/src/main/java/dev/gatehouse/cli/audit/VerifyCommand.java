package dev.gatehouse.cli.audit;

import java.io.IOException;
import java.io.PrintWriter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.verify.Finding;
import dev.gatehouse.audit.verify.LogVerifier;
import dev.gatehouse.audit.verify.PeriodCount;
import dev.gatehouse.audit.verify.VerificationReport;

/**
 * {@code gatehouse audit verify}: checks a log against its signed checkpoints. Exit 0: every event is covered by a
 * checkpoint a trusted key signed and nothing is wrong; 1: something is wrong (a changed, missing, inserted or
 * unreadable event, a truncated log, a bad checkpoint); 2: verify could not run; 3: nothing is wrong, but the
 * events in the range it names are not covered by any signature ({@code --allow-unsigned-tail} makes that 0, for
 * a live log whose newest events are signed within moments; the range is still named).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a log (or an exported copy) against its signed checkpoints; report the first bad "
                + "position, the events no signature covers yet, and events per cluster and day.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every event is covered by a verified signature and nothing is wrong",
                "1:the evidence is bad (changed, missing, inserted or unreadable events, truncation, bad checkpoints)",
                "2:verify could not run (no log, no keys, a usage error)",
                "3:nothing is wrong, but the events in the named range are not covered by any signature"})
final class VerifyCommand extends AuditSubcommand {
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--allow-unsigned-tail", description = "Exit 0 instead of 3 when the only gap is events after "
            + "the last signed checkpoint (a live log signs them within moments); the range is still reported.")
    boolean allowUnsignedTail;

    @Mixin
    GatewayOptions gateway;

    @Mixin
    StoreOptions objectStore;

    @Override
    int run() throws IOException {
        if (objectStore.present()) {
            if (gateway.remote()) {
                throw new IllegalArgumentException("--store and --server exclude each other");
            }
            int code = objectStore.verify(trustedKeys == null ? null : keys(), out());
            out().flush();
            return code;
        }
        VerificationReport report = gateway.remote()
                ? AuditEventJson.mapper().readValue(gateway.client().text("verify", java.util.Map.of()),
                        VerificationReport.class)
                : new LogVerifier(keys()).verify(requireLogDir());
        if (json) {
            out().println(AuditEventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            print(report, out());
        }
        out().flush();
        if (!report.ok()) {
            return BAD_EVIDENCE;
        }
        return report.covered() || allowUnsignedTail ? OK : NOT_COVERED;
    }

    /** What can and cannot be said about the events no signature covers. */
    static String unsigned(VerificationReport r) {
        String range = "events " + r.unsignedFrom() + ".." + r.unsignedTo() + " (" + r.unsignedEvents() + ")";
        String checked = r.tailMatched() + " match the leaf hash recorded when they were written (the leaf files "
                + "are not signed: an edit to an event alone is detected, one that also rewrote its .leaves file is "
                + "not)";
        String unchecked = r.tailUnchecked() == 0 ? ""
                : "; " + r.tailUnchecked() + " have no recorded leaf hash, so a change to them cannot be detected";
        return "UNSIGNED: " + range + " are not covered by any verified signature; " + checked + unchecked;
    }

    private void print(VerificationReport r, PrintWriter out) {
        out.printf("audit log %s: %d events, %d checkpoints verified, signed through %d events (%d after the last "
                + "checkpoint)%n", gateway.remote() ? gateway.server : logDir, r.events(), r.checkpoints(), Math.max(r.signedSize(), 0),
                r.unsignedEvents());
        if (!r.counts().isEmpty()) {
            out.printf("%-20s %-10s %10s  %s%n", "CLUSTER", "DAY", "EVENTS", "POSITIONS");
            for (PeriodCount c : r.counts()) {
                out.printf("%-20s %-10s %10d  %d..%d%n", c.cluster(), c.day(), c.events(), c.firstSeq(), c.lastSeq());
            }
        }
        for (PeriodCount quiet : r.quietDays()) {
            out.printf("%-20s %-10s %10s  no events (between active days)%n", quiet.cluster(), quiet.day(), 0);
        }
        if (!r.covered()) {
            out.println(unsigned(r));
        }
        if (r.ok() && r.covered()) {
            out.println("OK: every event matches the signed checkpoints and positions are continuous; every event is "
                    + "covered by a verified signature");
            return;
        }
        if (r.ok()) {
            String range = "events " + r.unsignedFrom() + ".." + r.unsignedTo() + " are not signed yet";
            out.println(allowUnsignedTail
                    ? "OK (unsigned tail allowed): every signed event matches the signed checkpoints and positions are "
                            + "continuous; " + range
                    : "NOT COVERED: " + range + "; every signed event matches the signed checkpoints and positions "
                            + "are continuous (exit 3; --allow-unsigned-tail accepts this for a live log)");
            return;
        }
        Finding first = r.firstBad().orElseThrow();
        out.println("FAILED at position " + first.position() + ": " + first.kind() + ": " + first.message());
        r.findings().stream().skip(1).forEach(f -> out.println("  also " + f));
    }
}
