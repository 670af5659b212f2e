package dev.gatehouse.cli.audit;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.checkpoint.PublicKeys;

/**
 * What every audit subcommand shares: the log directory, the trusted keys, and turning any failure into one
 * line on stderr with exit code 2 (exit 1 means "the evidence is bad", 0 "all good"; {@code verify} also exits 3:
 * "nothing is wrong, but some events are not covered by any signature yet").
 */
abstract class AuditSubcommand implements Callable<Integer> {
    static final int OK = 0;
    static final int BAD_EVIDENCE = 1;
    static final int ERROR = 2;
    static final int NOT_COVERED = 3;

    @Spec
    CommandSpec spec;

    @Option(names = {"-l", "--log-dir"}, paramLabel = "DIR", defaultValue = "data/audit",
            description = "The audit log directory: the gateway's <dataDir>/audit, an archive or an exported copy "
                    + "(default: ${DEFAULT-VALUE}).")
    Path logDir;

    @Option(names = {"-k", "--trusted-keys"}, paramLabel = "FILE|DIR",
            description = "Public key(s) to trust (PEM file, or a directory of *.pub). Default: the log's own "
                    + "keys/ directory; pass the published key to verify independently of the log's copy.")
    Path trustedKeys;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (IOException | UncheckedIOException e) {
            err().println(name() + ": " + e.getMessage());
            return ERROR;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err().println(name() + ": " + e.getMessage());
            return ERROR;
        } catch (RuntimeException e) {
            err().println(name() + ": " + e);
            return ERROR;
        }
    }

    abstract int run() throws IOException;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    String name() {
        return "gatehouse audit " + spec.name();
    }

    /** The log directory, failing with a sentence when it is not one. */
    Path requireLogDir() throws IOException {
        if (!Files.isDirectory(logDir)) {
            throw new IOException("no audit log directory at " + logDir + " (use --log-dir DIR)");
        }
        return logDir;
    }

    PublicKeys keys() throws IOException {
        Path source = trustedKeys != null ? trustedKeys : KeyDirectory.in(requireLogDir()).path();
        if (!Files.exists(source)) {
            throw new IOException("no public keys at " + source + " (use --trusted-keys FILE)");
        }
        PublicKeys keys = PublicKeys.read(source);
        if (keys.isEmpty()) {
            throw new IOException("no public keys (*.pub) in " + source);
        }
        return keys;
    }
}
