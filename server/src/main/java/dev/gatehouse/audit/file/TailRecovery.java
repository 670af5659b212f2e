package dev.gatehouse.audit.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;

/**
 * Brings the last segment back to its last complete event after a crash. A torn tail (a line without its
 * newline, a line that is not JSON, or a line whose position is not the next one, as left by a write that was
 * cut off) is cut; the cut bytes are kept beside the segment as {@code <segment>.torn-<millis>} so nothing is
 * destroyed, and the caller records the cut as an event.
 */
final class TailRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(TailRecovery.class);

    /**
     * What recovery found.
     *
     * @param nextSeq     the position the next event gets
     * @param size        the segment's size after recovery
     * @param cutBytes    bytes cut from the tail (0 when the tail was intact)
     * @param quarantine  where the cut bytes were kept, or null when nothing was cut
     */
    record Result(long nextSeq, long size, long cutBytes, Path quarantine) {
    }

    private TailRecovery() {
    }

    /** Scans {@code segment}, cuts a torn tail, and returns the position after its last complete event. */
    static Result recover(Segment segment) throws IOException {
        long expected = segment.firstSeq();
        long validEnd = 0;
        try (LineReader lines = new LineReader(segment.path())) {
            for (LineReader.Line line = lines.next(); line != null; line = lines.next()) {
                if (!isEventAt(line.bytes(), expected)) {
                    break;
                }
                expected++;
                validEnd = line.end();
            }
        }
        long size = Files.size(segment.path());
        if (size == validEnd) {
            return new Result(expected, size, 0, null);
        }
        Path quarantine = segment.path().resolveSibling(
                segment.path().getFileName() + ".torn-" + System.currentTimeMillis());
        cut(segment.path(), validEnd, quarantine);
        LOG.warn("audit log: cut a torn tail of {} bytes from {} after position {}; the bytes are kept in {}",
                size - validEnd, segment.path().getFileName(), expected - 1, quarantine.getFileName());
        return new Result(expected, validEnd, size - validEnd, quarantine);
    }

    static boolean isEventAt(byte[] line, long expectedSeq) {
        try {
            AuditEvent event = AuditEventJson.fromBytes(line);
            return event.gatehouse() != null && event.gatehouse().seq() != null
                    && event.gatehouse().seq() == expectedSeq;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void cut(Path file, long keep, Path quarantine) throws IOException {
        Path tmp = quarantine.resolveSibling(quarantine.getFileName() + ".tmp");
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = in.size();
            long pos = keep;
            while (pos < size) {
                pos += in.transferTo(pos, size - pos, out);
            }
            out.force(true);
            Files.move(tmp, quarantine, StandardCopyOption.ATOMIC_MOVE);
            in.truncate(keep);
            in.force(true);
        }
    }
}
