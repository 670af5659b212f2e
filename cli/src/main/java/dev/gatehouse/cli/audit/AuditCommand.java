package dev.gatehouse.cli.audit;

import picocli.CommandLine.Command;

/**
 * {@code gatehouse audit}: the evidence commands. Main adds it with
 * {@code commandLine.addSubcommand(new AuditCommand())}; {@code new CommandLine(new AuditCommand())} runs it alone.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Verify, prove, query and export the tamper-evident audit log.",
        subcommands = {VerifyCommand.class, ProveCommand.class, CheckProofCommand.class, QueryCommand.class,
                KeysCommand.class})
public final class AuditCommand implements Runnable {
    @Override
    public void run() {
        System.err.println("gatehouse audit: a subcommand is required (verify, prove, check-proof, query, keys); "
                + "see 'gatehouse audit --help'");
    }
}
