package dev.gatehouse.audit.retention;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.time.Instant;
import java.util.Arrays;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.file.Segment;

/** The time of a segment's newest event, read from its last line (the file's tail only). */
final class SegmentAge {
    private SegmentAge() {
    }

    /** The newest event's stage timestamp, or null when the last line is not an event. */
    static Instant newestEvent(Segment segment) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(segment.path().toFile(), "r")) {
            long size = f.length();
            int window = 64 * 1024;
            while (true) {
                long start = Math.max(0, size - window);
                byte[] tail = new byte[(int) (size - start)];
                f.seek(start);
                f.readFully(tail);
                int end = tail.length - 1;
                while (end >= 0 && tail[end] == '\n') {
                    end--;
                }
                int begin = end;
                while (begin >= 0 && tail[begin] != '\n') {
                    begin--;
                }
                if (begin >= 0 || start == 0) {
                    return parse(Arrays.copyOfRange(tail, begin + 1, end + 1));
                }
                window *= 4;
            }
        }
    }

    private static Instant parse(byte[] line) {
        try {
            AuditEvent e = AuditEventJson.fromBytes(line);
            String ts = e.stageTimestamp() != null ? e.stageTimestamp() : e.requestReceivedTimestamp();
            return ts == null ? null : Instant.parse(ts);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
