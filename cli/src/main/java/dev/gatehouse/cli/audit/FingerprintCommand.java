package dev.gatehouse.cli.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import dev.gatehouse.mask.Fingerprints;
import dev.gatehouse.mask.MaskKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gatehouse audit fingerprint MARKER}: is a suspected value the one a mask marker in a record stands for? The
 * value is read from a file or stdin — never from the command line, where shell history and process lists would keep
 * it — and compared under the gateway's mask keys; the value itself is never printed.
 */
@Command(name = "fingerprint", mixinStandardHelpOptions = true,
        description = {"Check whether a suspected value is the one a mask marker (gatehouse:masked:…, plain or base64 "
                + "as in a Secret's data) stands for, with the gateway's mask keys. The value is read from "
                + "--value-file or stdin (one trailing newline dropped).",
                "Exit: 0 the value matches, 1 it does not, 2 the check cannot be made (not a marker, unknown key)."})
final class FingerprintCommand extends AuditSubcommand {
    @Parameters(paramLabel = "MARKER", description = "The marker as found in a record or a response.")
    String marker;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
            description = "The gateway's data directory, which holds mask/keys (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--value-file", paramLabel = "FILE", description = "Read the suspected value from FILE.")
    Path valueFile;

    @Override
    int run() throws IOException {
        byte[] value = valueFile != null ? Files.readAllBytes(valueFile) : System.in.readAllBytes();
        if (value.length > 0 && value[value.length - 1] == '\n') {
            value = Arrays.copyOf(value, value.length - (value.length > 1 && value[value.length - 2] == '\r' ? 2 : 1));
        }
        Fingerprints.Check check = Fingerprints.check(marker, value, MaskKeys.existing(dataDir));
        int code = switch (check) {
            case Fingerprints.Check.Match m -> {
                out().println("MATCH: the value is the one this marker stands for (mask key " + m.keyId() + ")");
                yield OK;
            }
            case Fingerprints.Check.NoMatch n -> {
                out().println("NO MATCH: the marker stands for another value (mask key " + n.keyId() + ")");
                yield BAD_EVIDENCE;
            }
            case Fingerprints.Check.UnknownKey u -> throw new IllegalArgumentException("the marker was made with mask "
                    + "key " + u.keyId() + ", which " + dataDir.resolve("mask/keys") + " does not hold");
            case Fingerprints.Check.NotAMarker x -> throw new IllegalArgumentException("\"" + (marker.length() > 90
                    ? marker.substring(0, 90) + "…" : marker) + "\" is not a mask marker (expected: "
                    + Fingerprints.PREFIX + "<key id>:<fingerprint>, or its base64)");
        };
        out().flush();
        return code;
    }
}
