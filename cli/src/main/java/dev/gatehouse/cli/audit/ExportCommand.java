package dev.gatehouse.cli.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.gatehouse.export.setup.EventShapes;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.file.AuditLogReader;
import dev.gatehouse.export.EventShape;

/**
 * {@code gatehouse audit export}: writes the log (or positions from..to) as JSON lines in the Kubernetes audit
 * shape or as OCSF, for a one-off hand-over to an auditor or a SIEM. Continuous export is the gateway's exporters.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write events as JSON lines (Kubernetes audit Event shape, or OCSF API Activity).")
final class ExportCommand extends AuditSubcommand {
    @Option(names = "--shape", defaultValue = "kubernetes", description = "kubernetes or ocsf (default: ${DEFAULT-VALUE}).")
    String shape;

    @Option(names = "--from-position", defaultValue = "0", paramLabel = "N", description = "First position.")
    long from;

    @Option(names = "--to-position", defaultValue = "9223372036854775807", paramLabel = "N",
            description = "Last position (inclusive).")
    long to;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    Path output;

    @Mixin
    GatewayOptions gateway;

    @Override
    int run() throws IOException {
        EventShape eventShape = EventShapes.named(shape);
        if (gateway.remote()) {
            return exportFromGateway();
        }
        Path dir = requireLogDir();
        long written = 0;
        OutputStream out = output != null ? Files.newOutputStream(output) : System.out;
        try (AuditLogReader reader = AuditLogReader.from(dir, from)) {
            while (reader.hasNext()) {
                AuditLogReader.LogLine line = reader.next();
                if (line.position() > to) {
                    break;
                }
                AuditEvent event = line.event();
                out.write(eventShape.shape(event, line.bytes()));
                out.write('\n');
                written++;
            }
        } finally {
            out.flush();
            if (output != null) {
                out.close();
            }
        }
        if (output != null) {
            out().println("wrote " + written + " events (" + shape + ") to " + output);
            out().flush();
        }
        return OK;
    }

    /** Streams the gateway's export to the output as it arrives; counts the lines. */
    private int exportFromGateway() throws IOException {
        long written = 0;
        OutputStream out = output != null ? Files.newOutputStream(output) : System.out;
        try (InputStream in = gateway.client().stream("export", Map.of("from", Long.toString(from),
                "to", Long.toString(to), "shape", shape))) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        written++;
                    }
                }
            }
        } finally {
            out.flush();
            if (output != null) {
                out.close();
            }
        }
        if (output != null) {
            out().println("wrote " + written + " events (" + shape + ") from " + gateway.server + " to " + output);
            out().flush();
        }
        return OK;
    }
}
