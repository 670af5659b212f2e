package dev.gatehouse.cli.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.verify.InclusionProofDocument;
import dev.gatehouse.audit.verify.InclusionProver;

/** {@code gatehouse audit prove EVENT_ID}: prints an inclusion proof that verifies offline. */
@Command(name = "prove", mixinStandardHelpOptions = true,
        description = "Print an inclusion proof of one event (by audit ID) against the latest signed checkpoint; "
                + "check it anywhere with 'gatehouse audit check-proof FILE --trusted-keys KEY.pub'.")
final class ProveCommand extends AuditSubcommand {
    @Mixin
    GatewayOptions gateway;

    @Parameters(paramLabel = "EVENT_ID", description = "The event's audit ID.")
    String auditId;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the proof to FILE.")
    Path output;

    @Override
    int run() throws IOException {
        InclusionProofDocument proof = gateway.remote()
                ? AuditEventJson.mapper().readValue(gateway.client().text("proofs/" + auditId, java.util.Map.of()),
                        InclusionProofDocument.class)
                : new InclusionProver(keys()).prove(requireLogDir(), auditId);
        String json = AuditEventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(proof);
        if (output != null) {
            Files.writeString(output, json + "\n");
            out().println("wrote the proof of event " + auditId + " (position " + proof.position() + ", tree size "
                    + proof.checkpoint().treeSize() + ") to " + output);
        } else {
            out().println(json);
        }
        out().flush();
        return OK;
    }
}
