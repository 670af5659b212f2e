package dev.gatehouse.cli.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import dev.gatehouse.audit.checkpoint.KeyDirectory;

/** {@code gatehouse audit keys}: prints the log's public keys, to publish for third-party verification. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Print the public keys that sign the log's checkpoints (PEM), to publish.")
final class KeysCommand extends AuditSubcommand {
    @Mixin
    GatewayOptions gateway;

    @Override
    int run() throws IOException {
        if (gateway.remote()) {
            out().print(gateway.client().text("keys", Map.of()));
            out().flush();
            return OK;
        }
        Path dir = KeyDirectory.in(requireLogDir()).path();
        List<Path> pubs;
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            pubs = files.filter(f -> f.getFileName().toString().endsWith(".pub")).sorted().toList();
        }
        if (pubs.isEmpty()) {
            throw new IOException("no public keys in " + dir);
        }
        for (Path p : pubs) {
            out().println("# " + p.getFileName());
            out().print(Files.readString(p));
        }
        out().flush();
        return OK;
    }
}
