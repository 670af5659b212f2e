package dev.gatehouse.cli.reviews;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import dev.gatehouse.cli.audit.GatewayOptions;

/**
 * What the reviews, grants and request commands share: the gateway ({@code --server}, {@code
 * --certificate-authority}, {@code --token-file} or {@code $GATEHOUSE_TOKEN}), and any failure as one line on
 * stderr with exit code 2.
 */
public abstract class ApiSubcommand implements Callable<Integer> {
    /** A failure: the gateway refused, could not be reached, or the command line was wrong. */
    public static final int ERROR = 2;

    @Spec
    protected CommandSpec spec;

    @Mixin
    protected GatewayOptions gateway;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            err().println(spec.qualifiedName() + ": " + e.getMessage());
            err().flush();
            return ERROR;
        }
    }

    protected abstract int run() throws IOException;

    /** The API, failing with a sentence when {@code --server} or the token is missing. */
    protected ReviewsClient api() throws IOException {
        if (!gateway.remote()) {
            throw new IllegalArgumentException("give the gateway: --server https://HOST:PORT (the demo prints its "
                    + "URL, its CA and the users' token files)");
        }
        return new ReviewsClient(gateway.client());
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
