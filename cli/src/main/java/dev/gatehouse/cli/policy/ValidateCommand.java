package dev.gatehouse.cli.policy;

import picocli.CommandLine.Command;

import dev.gatehouse.policy.RulePolicy;

/** {@code gatehouse policy validate}: loads the policy as the gateway would; one line either way. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a policy: exit 0 and a summary when the gateway would load it, exit 1 and the first "
                + "error (file:line: rule: what is wrong) when it would refuse it.")
final class ValidateCommand extends PolicyCommand.Subcommand {
    @Override
    int run() {
        RulePolicy loaded = load();
        out().println(loaded.summary());
        out().flush();
        return OK;
    }
}
