package dev.gatehouse.cli.policy;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.policy.PolicyLoader;
import dev.gatehouse.policy.RulePolicy;
import dev.gatehouse.status.GatewayException;

/**
 * {@code gatehouse policy}: offline tools for policy files. Nothing here talks to a gateway: the policy is loaded
 * exactly as the gateway loads it, so what {@code validate} accepts the gateway accepts.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Validate a policy, test it against one request, or simulate it over the recorded requests.",
        subcommands = {ValidateCommand.class, TestCommand.class, SimulateCommand.class})
public final class PolicyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("gatehouse policy: a subcommand is required (validate, test, simulate); "
                + "see 'gatehouse policy --help'");
        return 2;
    }

    /** What the subcommands share: the policy to load, and any failure as one line on stderr with exit 1. */
    abstract static class Subcommand implements Callable<Integer> {
        static final int OK = 0;
        static final int FAILED = 1;

        @Spec
        CommandSpec spec;

        @Option(names = {"-p", "--policy"}, paramLabel = "PATH", required = true,
                description = "A policy file, a directory of *.yaml files, or builtin:default / builtin:demo.")
        String policy;

        @Override
        public final Integer call() {
            try {
                return run();
            } catch (PolicyException | GatewayException | IOException | UncheckedIOException
                     | IllegalArgumentException | IllegalStateException e) {
                err().println("gatehouse policy " + spec.name() + ": " + oneLine(e));
                err().flush();
                return FAILED;
            }
        }

        abstract int run() throws IOException;

        RulePolicy load() {
            if (policy.startsWith("builtin:")) {
                return PolicyLoader.builtIn(policy.substring("builtin:".length()));
            }
            return PolicyLoader.load(Path.of(policy));
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        private static String oneLine(Exception e) {
            String m = e instanceof GatewayException g ? g.status().message() : e.getMessage();
            return (m == null ? e.getClass().getSimpleName() : m).replaceAll("[\\r\\n]+", " ");
        }
    }
}
