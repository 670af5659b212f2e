package dev.gatehouse.cli;

import dev.gatehouse.cli.audit.AuditCommand;
import dev.gatehouse.cli.demo.DemoCommand;
import dev.gatehouse.cli.grants.GrantsCommand;
import dev.gatehouse.cli.login.CredentialCommand;
import dev.gatehouse.cli.login.LoginCommand;
import dev.gatehouse.cli.policy.PolicyCommand;
import dev.gatehouse.cli.report.ReportCommand;
import dev.gatehouse.cli.request.RequestCommand;
import dev.gatehouse.cli.reviews.ReviewsCommand;
import dev.gatehouse.cli.serve.ServeCommand;
import dev.gatehouse.cli.sessions.SessionsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code gatehouse} command. Every failure a user can cause ends as one line on stderr and a
 * non-zero exit code, never a stack trace ({@code GATEHOUSE_DEBUG=1} shows it).
 */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, version = "gatehouse 0.1.0",
        description = "An access gateway for Kubernetes: every request tied to a real identity and recorded.",
        subcommands = {ServeCommand.class, DemoCommand.class, AuditCommand.class, ReportCommand.class,
                SessionsCommand.class, PolicyCommand.class, ReviewsCommand.class, GrantsCommand.class, RequestCommand.class,
                LoginCommand.class, CredentialCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((error, args) -> {
            CommandLine command = error.getCommandLine();
            command.getErr().println(usageError(command, error));
            return 2;
        });
        cli.setExecutionExceptionHandler((error, commandLine, parseResult) -> {
            if (System.getenv("GATEHOUSE_DEBUG") != null) {
                error.printStackTrace();
            }
            commandLine.getErr().println("gatehouse " + commandLine.getCommandName() + ": " + oneLine(error));
            return 2;
        });
        return cli;
    }

    /** A mistake on the command line as one line that names the command and where its help is. */
    static String usageError(CommandLine command, CommandLine.ParameterException error) {
        String path = command.getCommandSpec().qualifiedName();
        return path + ": " + oneLine(error) + " (see '" + path + " --help')";
    }

    static String oneLine(Throwable error) {
        String message = error.getMessage();
        Throwable cause = error.getCause();
        if ((message == null || message.isBlank()) && cause != null) {
            message = cause.getMessage();
        }
        if (message == null || message.isBlank()) {
            message = error.getClass().getSimpleName();
        }
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message = message + ": " + cause.getMessage();
        }
        return message.replaceAll("[\\r\\n]+", " ");
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
