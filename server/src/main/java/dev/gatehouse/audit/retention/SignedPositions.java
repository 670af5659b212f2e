package dev.gatehouse.audit.retention;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.checkpoint.Checkpoint;
import dev.gatehouse.audit.checkpoint.CheckpointLog;

/**
 * The tree sizes a log directory's checkpoints were signed at. Retention moves and deletes a sealed segment only
 * once a checkpoint was signed at its end (its sealing checkpoint, written by the checkpoint thread moments after
 * the seal): what remains, or what an archive holds, must start at a signed position to verify on its own.
 */
final class SignedPositions {
    private final Set<Long> sizes;

    private SignedPositions(Set<Long> sizes) {
        this.sizes = sizes;
    }

    static SignedPositions in(Path logDir) throws IOException {
        Set<Long> sizes = new HashSet<>();
        Path file = logDir.resolve(CheckpointLog.FILE);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    if (!line.isBlank()) {
                        sizes.add(AuditEventJson.mapper().readValue(line, Checkpoint.class).treeSize());
                    }
                } catch (JsonProcessingException e) {
                    // not a checkpoint: signs nothing (the verifier reports the line)
                }
            }
        }
        return new SignedPositions(sizes);
    }

    /** True when a checkpoint was signed at exactly {@code position} events. */
    boolean signedAt(long position) {
        return sizes.contains(position);
    }
}
