package dev.gatehouse.cli.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.AuditLog.KeyRotation;
import dev.gatehouse.audit.SystemEvents;
import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;
import dev.gatehouse.audit.file.LogDirectoryInUseException;

/**
 * {@code gatehouse audit rotate-key}: a new checkpoint signing key, through the live gateway ({@code --server}; the
 * caller must be in {@code audit.keyAdmins}) or, while no gateway writes it, in {@code --log-dir}. Either way the
 * rotation is an event of the log, durable before the new key signs anything; old public keys stay so every
 * earlier checkpoint still verifies. Prints the new public key, to publish.
 */
@Command(name = "rotate-key", mixinStandardHelpOptions = true,
        description = "Replace the key that signs the log's checkpoints: through the live gateway (--server; you "
                + "must be in audit.keyAdmins), or in --log-dir while no gateway is writing it. The rotation is "
                + "recorded in the log first; old public keys stay for verification. Prints the new public key.")
final class RotateKeyCommand extends AuditSubcommand {
    /** Who rotated, in the event of an offline rotation. */
    static final String OFFLINE_USER = "system:gatehouse-cli";

    @Mixin
    GatewayOptions gateway;

    @Override
    int run() throws IOException {
        KeyRotation rotation = gateway.remote() ? online() : offline(requireLogDir());
        out().println("rotated the checkpoint signing key " + rotation.previousKeyId() + " -> " + rotation.keyId()
                + "; publish the new public key so others can verify later checkpoints:");
        out().print(rotation.publicKeyPem());
        out().flush();
        return OK;
    }

    private KeyRotation online() throws IOException {
        JsonNode answer = AuditEventJson.mapper().readTree(gateway.client().post("keys/rotate"));
        for (String field : new String[] {"previousKeyId", "keyId", "publicKey"}) {
            if (answer == null || !answer.hasNonNull(field)) {
                throw new IOException(gateway.server + " answered the rotation without \"" + field + "\"");
            }
        }
        return new KeyRotation(answer.get("previousKeyId").asText(), answer.get("keyId").asText(),
                answer.get("publicKey").asText());
    }

    private KeyRotation offline(Path dir) throws IOException {
        if (!Files.exists(KeyDirectory.in(dir).path().resolve("active"))) {
            throw new IOException(dir + " is not an audit log with a signing key (no keys/active)");
        }
        ChainedFileAuditLog opened;
        try {
            opened = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir));
        } catch (LogDirectoryInUseException e) {
            throw new IOException(e.getMessage() + "; if a gateway is running on this log, rotate through it: "
                    + "gatehouse audit rotate-key --server URL");
        }
        try (ChainedFileAuditLog log = opened) {
            if (!log.health().writable()) {
                throw new IOException(log.health().problem() + "; if a gateway is running on this log, rotate "
                        + "through it: gatehouse audit rotate-key --server URL");
            }
            String osUser = System.getProperty("user.name", "unknown");
            return log.rotateKey(r -> SystemEvents.keyRotated(OFFLINE_USER, r,
                    "checkpoint signing key rotated offline by OS user " + osUser, Map.of("osUser", osUser)));
        }
    }
}
