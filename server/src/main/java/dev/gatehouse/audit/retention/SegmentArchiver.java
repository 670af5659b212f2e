package dev.gatehouse.audit.retention;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.checkpoint.Checkpoint;
import dev.gatehouse.audit.checkpoint.CheckpointLog;
import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.file.LeafSidecar;
import dev.gatehouse.audit.file.Segment;

/**
 * Copies sealed segments (every segment but the one being written) with their leaf sidecars, the checkpoint file
 * and the public keys into an archive directory, so the archive is a log directory that verifies on its own.
 * Each file is written to a temporary name, forced, then renamed; a segment already archived is left alone.
 */
public final class SegmentArchiver {
    private SegmentArchiver() {
    }

    /**
     * Archives what is sealed and signed at its end in {@code logDir} (oldest first, stopping at the first segment
     * whose sealing checkpoint is not written yet); returns the segments newly copied.
     */
    public static List<Segment> archive(Path logDir, Path archiveDir) throws IOException {
        Files.createDirectories(archiveDir);
        List<Segment> segments = Segment.list(logDir);
        List<Segment> copied = new ArrayList<>();
        SignedPositions signed = SignedPositions.in(logDir);
        long archivedEnd = segments.isEmpty() ? 0 : segments.getFirst().firstSeq();
        for (int i = 0; i < segments.size() - 1; i++) {
            Segment s = segments.get(i);
            long end = segments.get(i + 1).firstSeq();
            if (!signed.signedAt(end)) {
                break; // its sealing checkpoint is not written yet: the next run takes it
            }
            archivedEnd = end;
            Path target = archiveDir.resolve(s.path().getFileName());
            if (Files.exists(target) && Files.size(target) == Files.size(s.path())) {
                continue;
            }
            Path leaves = LeafSidecar.pathOf(s);
            if (Files.exists(leaves)) {
                copyDurably(leaves, archiveDir.resolve(leaves.getFileName()));
            }
            copyDurably(s.path(), target);
            copied.add(s);
        }
        copyCheckpointsDurably(logDir.resolve(CheckpointLog.FILE), archiveDir.resolve(CheckpointLog.FILE),
                archivedEnd);
        Path keys = KeyDirectory.in(logDir).path();
        Path archivedKeys = KeyDirectory.in(archiveDir).path();
        Files.createDirectories(archivedKeys);
        try (Stream<Path> pubs = Files.list(keys)) {
            for (Path pub : pubs.filter(p -> p.getFileName().toString().endsWith(".pub")).toList()) {
                copyDurably(pub, archivedKeys.resolve(pub.getFileName()));
            }
        }
        return copied;
    }

    /**
     * Copies the checkpoints that cover at most {@code end} events (the archive holds positions before it; the
     * live log signs its newest events within moments, and those checkpoints would claim events the archive does
     * not hold). A line that is not a checkpoint is copied as it is, for the verifier to report.
     */
    private static void copyCheckpointsDurably(Path from, Path to, long end) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(from, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                if (AuditEventJson.mapper().readValue(line, Checkpoint.class).treeSize() > end) {
                    continue;
                }
            } catch (JsonProcessingException e) {
                // kept: the verifier names it
            }
            kept.add(line);
        }
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
        Files.write(tmp, kept, StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void copyDurably(Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
