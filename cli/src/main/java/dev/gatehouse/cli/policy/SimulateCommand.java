package dev.gatehouse.cli.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.gatehouse.cli.Rfc3339;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.gatehouse.audit.file.AuditLogReader;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.MatchedRule;
import dev.gatehouse.policy.PolicyRequest;
import dev.gatehouse.policy.RulePolicy;

/**
 * {@code gatehouse policy simulate}: replays the requests the audit log recorded in a period against a candidate
 * policy, and says which would be decided differently. Requests whose deciding rule reads the request's object
 * cannot be decided from the log (it records metadata, not bodies); they are counted and listed as undecidable.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Replay recorded requests against a candidate policy: how many would change, from what to what,"
                + " and each changed request.")
final class SimulateCommand extends PolicyCommand.Subcommand {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Output shapes. */
    enum Format { table, json }

    @Option(names = {"-l", "--log-dir"}, paramLabel = "DIR", defaultValue = "data/audit",
            description = "The audit log directory (default: ${DEFAULT-VALUE}).")
    Path logDir;
    @Option(names = "--from", paramLabel = "TIME", converter = Rfc3339.class,
            description = "Requests received at or after (RFC 3339, e.g. 2026-01-01T00:00:00Z).")
    Instant from;
    @Option(names = "--to", paramLabel = "TIME", converter = Rfc3339.class, description = "Received before (RFC 3339).")
    Instant to;
    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    /** A request the candidate decides differently. */
    record Change(String time, String auditID, String user, String request, String recorded, String candidate,
                  String rule) {
    }

    /** A request the candidate cannot decide without its object. */
    record Undecidable(String time, String auditID, String user, String request, String recorded, String rule) {
    }

    /** What the simulation found. */
    record Result(String policy, String sha256, int rules, String defaultDecision, int requests, int unchanged,
                  int changed, Map<String, Integer> transitions, List<Change> changes,
                  List<Undecidable> undecidable) {
    }

    @Override
    int run() throws IOException {
        RulePolicy candidate = load();
        if (!Files.isDirectory(logDir)) {
            throw new IOException("no audit log directory at " + logDir + " (use --log-dir DIR)");
        }
        Result result = simulate(candidate);
        if (format == Format.json) {
            out().println(JSON.writeValueAsString(result));
        } else {
            print(result);
        }
        out().flush();
        return OK;
    }

    private Result simulate(RulePolicy candidate) throws IOException {
        int requests = 0;
        int unchanged = 0;
        Map<String, Integer> transitions = new TreeMap<>();
        List<Change> changes = new ArrayList<>();
        List<Undecidable> undecidable = new ArrayList<>();
        try (AuditLogReader reader = AuditLogReader.open(logDir)) {
            while (reader.hasNext()) {
                RecordedRequest r = RecordedRequest.of(reader.next().event());
                if (r == null || (from != null && r.time().isBefore(from)) || (to != null && !r.time().isBefore(to))) {
                    continue;
                }
                requests++;
                String time = r.event().requestReceivedTimestamp();
                String user = r.identity().user();
                MatchedRule needs = candidate.ruleNeedingObject(r.identity(), r.request());
                if (needs != null) {
                    undecidable.add(new Undecidable(time, r.event().auditID(), user, r.describe(), r.decision(),
                            TestCommand.describe(needs)));
                    continue;
                }
                Decision d = candidate.decide(new PolicyRequest(r.identity(), r.request(), null));
                if (d.word().equals(r.decision())) {
                    unchanged++;
                    continue;
                }
                transitions.merge(r.decision() + " -> " + d.word(), 1, Integer::sum);
                changes.add(new Change(time, r.event().auditID(), user, r.describe(), r.decision(), d.word(),
                        TestCommand.describe(d.rule())));
            }
        }
        return new Result(candidate.summary().source(), candidate.summary().sha256(), candidate.summary().rules(),
                candidate.summary().defaultDecision(), requests, unchanged, changes.size(),
                new LinkedHashMap<>(transitions), changes, undecidable);
    }

    private void print(Result r) {
        out().printf("policy %s: %d rules, default %s, sha256 %s%n", r.policy(), r.rules(), r.defaultDecision(),
                r.sha256());
        out().printf("%d recorded requests%s: %d unchanged, %d would change, %d undecidable (needs the object)%n",
                r.requests(), period(), r.unchanged(), r.changed(), r.undecidable().size());
        if (!r.transitions().isEmpty()) {
            out().println();
            out().printf("%-22s %s%n", "RECORDED -> CANDIDATE", "COUNT");
            r.transitions().forEach((k, v) -> out().printf("%-22s %d%n", k, v));
        }
        String row = "%-27s %-36s %-16s %-40s %-18s %s%n";
        if (!r.changes().isEmpty()) {
            out().println();
            out().println("changed:");
            out().printf(row, "TIME", "AUDIT-ID", "USER", "REQUEST", "RECORDED -> NEW", "CANDIDATE RULE");
            for (Change c : r.changes()) {
                out().printf(row, c.time(), c.auditID(), c.user(), c.request(), c.recorded() + " -> " + c.candidate(),
                        c.rule());
            }
        }
        if (!r.undecidable().isEmpty()) {
            out().println();
            out().println("undecidable (needs the object):");
            out().printf(row, "TIME", "AUDIT-ID", "USER", "REQUEST", "RECORDED", "RULE READING THE OBJECT");
            for (Undecidable u : r.undecidable()) {
                out().printf(row, u.time(), u.auditID(), u.user(), u.request(), u.recorded(), u.rule());
            }
        }
    }

    private String period() {
        if (from == null && to == null) {
            return "";
        }
        return " from " + (from == null ? "the start" : from) + " to " + (to == null ? "the end" : to);
    }
}
