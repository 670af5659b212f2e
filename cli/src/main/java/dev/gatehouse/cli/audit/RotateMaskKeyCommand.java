package dev.gatehouse.cli.audit;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.audit.AuditEventJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code gatehouse audit rotate-mask-key --server URL}: a new key for the masks' fingerprints, through the live
 * gateway (which holds the keys in use); the caller must be in {@code audit.keyAdmins}. The rotation is an audit
 * event, durable before the new key makes any marker; old keys stay for {@code gatehouse audit fingerprint}.
 */
@Command(name = "rotate-mask-key", mixinStandardHelpOptions = true,
        description = "Replace the key of the masks' fingerprints through the live gateway (--server; you must be in "
                + "audit.keyAdmins). The rotation is recorded in the log first; old keys stay for fingerprint checks.")
final class RotateMaskKeyCommand extends AuditSubcommand {
    @Mixin
    GatewayOptions gateway;

    @Override
    int run() throws IOException {
        if (!gateway.remote()) {
            throw new IllegalArgumentException("--server URL is required: the running gateway holds the mask keys");
        }
        JsonNode answer = AuditEventJson.mapper().readTree(gateway.client().post("mask-keys/rotate"));
        if (answer == null || !answer.hasNonNull("keyId") || !answer.hasNonNull("previousKeyId")) {
            throw new IOException(gateway.server + " answered the rotation without its key ids");
        }
        out().println("rotated the mask key " + answer.get("previousKeyId").asText() + " -> "
                + answer.get("keyId").asText() + "; markers made from now on name the new key");
        out().flush();
        return OK;
    }
}
