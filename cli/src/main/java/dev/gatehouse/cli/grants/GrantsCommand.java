package dev.gatehouse.cli.grants;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import dev.gatehouse.cli.reviews.ApiSubcommand;
import dev.gatehouse.cli.reviews.ReviewsClient.Kind;
import dev.gatehouse.cli.reviews.ReviewsCommand;

/**
 * {@code gatehouse grants}: time-boxed access asked for ahead of time ({@code gatehouse request}). List them, look at
 * one, approve or deny it, revoke an approved one, or (as the requester) cancel a pending one.
 */
@Command(name = "grants", mixinStandardHelpOptions = true,
        description = "List, show, approve, deny, revoke and cancel time-boxed access grants.",
        subcommands = {GrantsCommand.ListCommand.class, GrantsCommand.ShowCommand.class,
                GrantsCommand.ApproveCommand.class, GrantsCommand.DenyCommand.class,
                GrantsCommand.RevokeCommand.class, GrantsCommand.CancelCommand.class})
public final class GrantsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("gatehouse grants: a subcommand is required (list, show, approve, deny, "
                + "revoke, cancel); see 'gatehouse grants --help'");
        return ApiSubcommand.ERROR;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The grants you asked for, may approve, or (audit readers) all; newest first.")
    static final class ListCommand extends ReviewsCommand.ListBase {
        @Override
        protected Kind kind() {
            return Kind.GRANT;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "A grant: its scope and duration, who asked and why, the approvers, the verdicts.")
    static final class ShowCommand extends ReviewsCommand.ShowBase {
        @Override
        protected Kind kind() {
            return Kind.GRANT;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a grant; once enough approvers have, it is valid for its duration.")
    static final class ApproveCommand extends ReviewsCommand.ActBase {
        @Override
        protected Kind kind() {
            return Kind.GRANT;
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Deny a grant.")
    static final class DenyCommand extends ReviewsCommand.ActBase {
        @Override
        protected Kind kind() {
            return Kind.GRANT;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "End an approved grant now (its requester or an approver).")
    static final class RevokeCommand extends ReviewsCommand.ActBase {
        @Override
        protected Kind kind() {
            return Kind.GRANT;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Withdraw your own pending grant.")
    static final class CancelCommand extends ReviewsCommand.ActBase {
        @Override
        protected Kind kind() {
            return Kind.GRANT;
        }
    }
}
