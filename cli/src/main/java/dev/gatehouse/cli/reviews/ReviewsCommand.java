package dev.gatehouse.cli.reviews;

import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dev.gatehouse.cli.reviews.ReviewsClient.Kind;

/**
 * {@code gatehouse reviews}: the requests Gatehouse holds for a person's approval. List them, look at one, approve,
 * deny or (as the requester) cancel it, through the gateway's reviews API.
 */
@Command(name = "reviews", mixinStandardHelpOptions = true,
        description = "List, show, approve, deny and cancel the requests Gatehouse holds for review.",
        subcommands = {ReviewsCommand.ListCommand.class, ReviewsCommand.ShowCommand.class,
                ReviewsCommand.ApproveCommand.class, ReviewsCommand.DenyCommand.class,
                ReviewsCommand.CancelCommand.class})
public final class ReviewsCommand implements Callable<Integer> {
    static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("gatehouse reviews: a subcommand is required (list, show, approve, deny, "
                + "cancel); see 'gatehouse reviews --help'");
        return ApiSubcommand.ERROR;
    }

    /** {@code list}: a table, or the ReviewList or GrantList as JSON. */
    public abstract static class ListBase extends ApiSubcommand {
        @Option(names = "--state", defaultValue = "pending", paramLabel = "STATE",
                description = "pending, approved, denied, expired, cancelled, used, revoked or all "
                        + "(default: ${DEFAULT-VALUE}).")
        String state;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
                description = "table or json (default: ${DEFAULT-VALUE}).")
        Output output;

        /** How a list is printed. */
        public enum Output { table, json }

        protected abstract Kind kind();

        @Override
        protected final int run() throws IOException {
            var list = api().list(kind(), state);
            if (output == Output.json) {
                out().println(PRETTY.writeValueAsString(list));
                out().flush();
            } else if (kind() == Kind.REVIEW) {
                ReviewsText.reviewTable(out(), list, Instant.now());
            } else {
                ReviewsText.grantTable(out(), list, Instant.now());
            }
            return 0;
        }
    }

    /** {@code show ID}: every field, verdicts included, or the document as JSON. */
    public abstract static class ShowBase extends ApiSubcommand {
        @Parameters(paramLabel = "ID", description = "The id, as the list shows it.")
        String id;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
                description = "text or json (default: ${DEFAULT-VALUE}).")
        Output output;

        /** How one is printed. */
        public enum Output { text, json }

        protected abstract Kind kind();

        @Override
        protected final int run() throws IOException {
            ReviewsClient.checked(kind(), id);
            var doc = api().show(kind(), id);
            if (output == Output.json) {
                out().println(PRETTY.writeValueAsString(doc));
                out().flush();
            } else {
                ReviewsText.show(out(), doc, Instant.now());
            }
            return 0;
        }
    }

    /** {@code approve|deny|cancel|revoke ID [--reason TEXT]}: one line saying what it did. */
    public abstract static class ActBase extends ApiSubcommand {
        @Parameters(paramLabel = "ID", description = "The id, as the list shows it.")
        String id;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (recorded with the verdict; some rules "
                + "require one).")
        String reason;

        protected abstract Kind kind();

        @Override
        protected final int run() throws IOException {
            ReviewsClient.checked(kind(), id);
            String action = spec.name();
            out().println(ReviewsText.outcome(api().act(kind(), id, action, reason), action));
            out().flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The reviews you asked for, may approve, or (audit readers) all; newest first.")
    static final class ListCommand extends ListBase {
        @Override
        protected Kind kind() {
            return Kind.REVIEW;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "A review: the held request, who asked and why, the rule, the approvers, the verdicts.")
    static final class ShowCommand extends ShowBase {
        @Override
        protected Kind kind() {
            return Kind.REVIEW;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a held request; once enough approvers have, its retry is let through.")
    static final class ApproveCommand extends ActBase {
        @Override
        protected Kind kind() {
            return Kind.REVIEW;
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Deny a held request.")
    static final class DenyCommand extends ActBase {
        @Override
        protected Kind kind() {
            return Kind.REVIEW;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Withdraw your own pending request.")
    static final class CancelCommand extends ActBase {
        @Override
        protected Kind kind() {
            return Kind.REVIEW;
        }
    }
}
