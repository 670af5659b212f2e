package dev.gatehouse.cli.audit;

import picocli.CommandLine.Command;

/**
 * {@code gatehouse audit}: the evidence commands. Main adds it with
 * {@code commandLine.addSubcommand(new AuditCommand())}; {@code new CommandLine(new AuditCommand())} runs it alone.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Verify, prove, query and export the tamper-evident audit log; rotate its signing key.",
        subcommands = {VerifyCommand.class, ProveCommand.class, CheckProofCommand.class, QueryCommand.class,
                ExportCommand.class, KeysCommand.class, RotateKeyCommand.class, RotateMaskKeyCommand.class,
                FingerprintCommand.class})
public final class AuditCommand implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("gatehouse audit: a subcommand is required (verify, prove, check-proof, "
                + "query, export, keys, rotate-key); see 'gatehouse audit --help'");
        return 2;
    }
}
