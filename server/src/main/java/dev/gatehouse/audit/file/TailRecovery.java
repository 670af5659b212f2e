package dev.gatehouse.audit.file;

import java.io.IOException;
import java.nio.ByteBuffer;
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
 * cut off) is cut; the zero padding the live segment keeps ahead of its writer is not data and is not reported; the cut bytes are kept beside the segment as {@code <segment>.torn-<millis>} so nothing is
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
        long dataEnd = endOfData(segment.path(), validEnd);
        if (dataEnd == validEnd) {
            return new Result(expected, validEnd, 0, null); // intact; zero padding after it is not data
        }
        Path quarantine = segment.path().resolveSibling(
                segment.path().getFileName() + ".torn-" + System.currentTimeMillis());
        cut(segment.path(), validEnd, dataEnd, quarantine);
        LOG.warn("audit log: cut a torn tail of {} bytes from {} after position {}; the bytes are kept in {}",
                dataEnd - validEnd, segment.path().getFileName(), expected - 1, quarantine.getFileName());
        return new Result(expected, validEnd, dataEnd - validEnd, quarantine);
    }

    /**
     * Where the file's data ends: after its last non-NUL byte, at least {@code from}. The live segment is
     * zero-filled ahead of the writer, so a crash leaves lines, maybe a torn piece, then zeros; a page written
     * out of order can also leave zeros inside the torn piece, which is why this scans from the end.
     */
    static long endOfData(Path file, long from) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer block = ByteBuffer.allocate(1 << 16);
            long end = ch.size();
            while (end > from) {
                long start = Math.max(from, end - block.capacity());
                block.clear().limit((int) (end - start));
                while (block.hasRemaining() && ch.read(block, start + block.position()) > 0) {
                    // fill the block
                }
                for (int i = block.position() - 1; i >= 0; i--) {
                    if (block.get(i) != 0) {
                        return start + i + 1;
                    }
                }
                end = start;
            }
            return from;
        }
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

    private static void cut(Path file, long keep, long size, Path quarantine) throws IOException {
        Path tmp = quarantine.resolveSibling(quarantine.getFileName() + ".tmp");
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
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
