package dev.gatehouse.cli.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.checkpoint.PublicKeys;
import dev.gatehouse.report.FileReportSources;
import dev.gatehouse.report.ReportAnswer;
import dev.gatehouse.report.ReportCheck;
import dev.gatehouse.report.ReportFormat;
import dev.gatehouse.report.ReportRunner;

/**
 * {@code gatehouse report check FILE}: reads a JSON answer (or the one an HTML answer embeds), checks its hash and
 * count, its checkpoint's signature, the log against its checkpoints, and re-derives the answer from the log.
 * Exit 0 when it holds, 1 with one line per problem when it does not, 2 when it cannot be checked.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Re-derive an answer (JSON, or the HTML page) from the log and check its hash, count and "
                + "checkpoint.")
final class ReportCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The answer (json or html).")
    Path file;

    @Mixin
    ReportCommand.LogOptions log;

    @Override
    public Integer call() {
        try {
            if (!Files.isReadable(file)) {
                throw new IOException("cannot read " + file);
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.startsWith("# report:")) {
                throw new IllegalArgumentException(file + " is a CSV answer; check the JSON or HTML answer of the "
                        + "same query (the CSV carries the same rowsSha256)");
            }
            ReportAnswer answer;
            try {
                answer = ReportFormat.read(text);
            } catch (IOException e) {
                throw new IllegalArgumentException(file + " is not a report answer: " + ReportCommand.oneLine(e));
            }
            ReportRunner runner = log.runner();
            PublicKeys trusted = log.trusted() != null ? log.trusted() : KeyDirectory.in(log.logDir()).publicKeys();
            ReportCheck.Result result = ReportCheck.check(answer, runner, trusted,
                    new FileReportSources(log.logDir(), null, trusted).verify());
            if (!result.ok()) {
                for (String problem : result.problems()) {
                    spec.commandLine().getErr().println("gatehouse report check: " + problem);
                }
                return ReportCommand.BAD_EVIDENCE;
            }
            spec.commandLine().getOut().printf("OK: %s, %d records, rows sha256 %s, re-derived from %s positions "
                            + "%d..%d under the checkpoint of tree size %d signed by key %s%n",
                    answer.query().name(), answer.count(), answer.rowsSha256(), answer.positions().getFirst().log(),
                    answer.positions().getFirst().scannedFrom(), answer.positions().getFirst().scannedTo(),
                    answer.checkpoint().treeSize(), answer.checkpoint().keyId());
            spec.commandLine().getOut().flush();
            return ReportCommand.OK;
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            spec.commandLine().getErr().println("gatehouse report check: " + ReportCommand.oneLine(e));
            return ReportCommand.ERROR;
        }
    }
}
