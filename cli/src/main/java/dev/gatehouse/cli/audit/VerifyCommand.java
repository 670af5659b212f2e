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

/** {@code gatehouse audit verify}: checks a log against its signed checkpoints; exit 1 when anything is wrong. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a log (or an exported copy) against its signed checkpoints; report the first bad "
                + "position, and events per cluster and day.")
final class VerifyCommand extends AuditSubcommand {
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Mixin
    GatewayOptions gateway;

    @Override
    int run() throws IOException {
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
        return report.ok() ? OK : BAD_EVIDENCE;
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
        if (r.ok()) {
            out.println("OK: every event matches the signed checkpoints and positions are continuous");
            return;
        }
        Finding first = r.firstBad().orElseThrow();
        out.println("FAILED at position " + first.position() + ": " + first.kind() + ": " + first.message());
        r.findings().stream().skip(1).forEach(f -> out.println("  also " + f));
    }
}
