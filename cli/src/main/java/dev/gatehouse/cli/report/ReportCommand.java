package dev.gatehouse.cli.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dev.gatehouse.audit.checkpoint.PublicKeys;
import dev.gatehouse.cli.Rfc3339;
import dev.gatehouse.cli.audit.GatewayOptions;
import dev.gatehouse.report.FileReportSources;
import dev.gatehouse.report.ReportAnswer;
import dev.gatehouse.report.ReportFormat;
import dev.gatehouse.report.ReportQuery;
import dev.gatehouse.report.ReportRunner;
import dev.gatehouse.report.Reports;
import dev.gatehouse.session.FileRecordingStore;

/**
 * {@code gatehouse report <name> [--from T] [--to T] [--format json|csv|html] [--out FILE] [key=value ...]}: one
 * answer, from a log directory or (with {@code --server}) from the live gateway, which records the read.
 * {@code gatehouse report list} names the reports; {@code gatehouse report check FILE} re-derives an answer.
 * Exit 0 when answered (or the check holds), 1 when a check finds the answer or the log wrong, 2 on any error.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "The auditor's answers (privileged actions, held requests, who read which Secrets, ...), each "
                + "with its period, record count, log positions, signed checkpoint and SHA-256. See docs/REPORTS.md.",
        subcommands = {ReportListCommand.class, ReportCheckCommand.class, SignOffCommand.class})
public final class ReportCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int BAD_EVIDENCE = 1;
    static final int ERROR = 2;
    /** The period when {@code --from} is not given, as the API's. */
    static final Duration DEFAULT_PERIOD = Duration.ofDays(90);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The report (gatehouse report list).")
    String name;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "The report's parameters, e.g. user=alice.")
    List<String> parameters = new ArrayList<>();

    @Option(names = "--from", paramLabel = "TIME", converter = Rfc3339.class,
            description = "Start of the period, included (RFC 3339; default: 90 days before --to).")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", converter = Rfc3339.class,
            description = "End of the period, excluded (RFC 3339; default: now).")
    Instant to;

    @Option(names = "--format", defaultValue = "json", paramLabel = "FORMAT",
            description = "json, csv or html (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write the answer here (default: stdout).")
    Path out;

    @Mixin
    LogOptions log;

    @Mixin
    GatewayOptions gateway;

    @Override
    public Integer call() {
        try {
            if (name == null) {
                err().println("gatehouse report: a report name or a subcommand (list, check) is required; see "
                        + "'gatehouse report --help'");
                return ERROR;
            }
            ReportFormat.named(format);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("\"" + shorten(name) + "\" is not a report name (see "
                        + "'gatehouse report list')");
            }
            Map<String, String> params = parameters(parameters);
            String text = gateway.remote() ? remote(params) : local(params);
            if (out != null) {
                Files.writeString(out, text, StandardCharsets.UTF_8);
            } else {
                out().print(text);
                out().flush();
            }
            return OK;
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            err().println("gatehouse report: " + oneLine(e));
            return ERROR;
        }
    }

    private String remote(Map<String, String> params) throws IOException {
        Map<String, String> query = new LinkedHashMap<>(params);
        query.put("from", from == null ? null : from.toString());
        query.put("to", to == null ? null : to.toString());
        query.put("format", format);
        return gateway.client().get("/gatehouse/v1/reports/" + name, query);
    }

    private String local(Map<String, String> params) throws IOException {
        // [from, to) in whole seconds: "now" ends at the next second, so what is recorded is in
        Instant end = to != null ? to : Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        Instant start = from != null ? from : end.minus(DEFAULT_PERIOD);
        ReportAnswer answer = log.runner().run(new ReportQuery(name, start, end, params));
        return ReportFormat.named(format).write(answer);
    }

    /** {@code key=value} arguments; a key given twice or without '=' is refused. */
    static Map<String, String> parameters(List<String> args) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("\"" + shorten(arg) + "\" (expected: KEY=VALUE, e.g. user=alice)");
            }
            String key = arg.substring(0, eq);
            if (List.of("from", "to", "format").contains(key)) {
                throw new IllegalArgumentException(key + "= is an option here: use --" + key);
            }
            if (params.put(key, arg.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("parameter " + shorten(key) + " given more than once");
            }
        }
        return params;
    }

    static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("[\\r\\n]+", " ");
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Where a local answer reads from: the log directory, the sessions beside it, the keys the check trusts. */
    public static final class LogOptions {
        @Option(names = {"-l", "--log-dir"}, paramLabel = "DIR", defaultValue = "data/audit",
                description = "The audit log directory (default: ${DEFAULT-VALUE}).")
        Path logDir;

        @Option(names = "--sessions-dir", paramLabel = "DIR",
                description = "The session recordings (default: the log directory's sibling 'sessions').")
        Path sessionsDir;

        @Option(names = {"-k", "--trusted-keys"}, paramLabel = "FILE|DIR",
                description = "Public key(s) to trust (default: the log's own keys/ directory).")
        Path trustedKeys;

        Path logDir() throws IOException {
            if (!Files.isDirectory(logDir)) {
                throw new IOException("no audit log directory at " + logDir + " (use --log-dir DIR)");
            }
            return logDir;
        }

        PublicKeys trusted() throws IOException {
            if (trustedKeys == null) {
                return null;
            }
            PublicKeys keys = PublicKeys.read(trustedKeys);
            if (keys.isEmpty()) {
                throw new IOException("no public keys (*.pub) in " + trustedKeys);
            }
            return keys;
        }

        ReportRunner runner() throws IOException {
            Path dir = logDir();
            Path sessions = sessionsDir != null ? sessionsDir : dir.toAbsolutePath().getParent().resolve("sessions");
            FileRecordingStore store = Files.isDirectory(sessions) ? new FileRecordingStore(sessions) : null;
            return new ReportRunner(Reports.standard(), new FileReportSources(dir, store, trusted()),
                    () -> Long.MAX_VALUE, Clock.systemUTC());
        }
    }
}
