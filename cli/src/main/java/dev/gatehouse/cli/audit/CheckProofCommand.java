package dev.gatehouse.cli.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.verify.InclusionProofDocument;

/** {@code gatehouse audit check-proof FILE}: checks an inclusion proof with only the public key. */
@Command(name = "check-proof", mixinStandardHelpOptions = true,
        description = "Check an inclusion proof offline with only the log's public key (--trusted-keys KEY.pub).")
final class CheckProofCommand extends AuditSubcommand {
    @Parameters(paramLabel = "FILE", description = "The proof printed by 'gatehouse audit prove'.")
    Path proofFile;

    @Override
    int run() throws IOException {
        if (trustedKeys == null) {
            throw new IllegalArgumentException("--trusted-keys KEY.pub is required: a proof is only as good as the "
                    + "key you trust");
        }
        InclusionProofDocument proof;
        try {
            proof = AuditEventJson.mapper().readValue(Files.readString(proofFile), InclusionProofDocument.class);
        } catch (JsonProcessingException e) {
            throw new IOException(proofFile + " is not an inclusion proof (" + e.getOriginalMessage() + ")");
        }
        String problem = proof.verify(keys());
        if (problem != null) {
            out().println("INVALID: " + problem);
            out().flush();
            return BAD_EVIDENCE;
        }
        out().println("OK: event " + proof.auditID() + " is at position " + proof.position() + " of the log signed at "
                + proof.checkpoint().time() + " (size " + proof.checkpoint().treeSize() + ", key "
                + proof.checkpoint().keyId() + ")");
        out().flush();
        return OK;
    }
}
