package dev.gatehouse.audit.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;

/**
 * Streams the lines of a log directory (the live one, an archive, or an exported copy) in position order,
 * segment after segment, without checking them: verification is the verifier's job. Each line keeps its exact
 * bytes and where it was found. A line being written while reading (no newline yet) is not returned.
 */
public final class AuditLogReader implements AutoCloseable, Iterator<AuditLogReader.LogLine> {

    /**
     * One line of the log.
     *
     * @param position the position the line holds in the log (by count from its segment's first position)
     * @param segment  the segment it was read from
     * @param offset   its byte offset in the segment
     * @param bytes    its exact bytes, without the newline
     */
    public record LogLine(long position, Segment segment, long offset, byte[] bytes) {
        /** Parses the line; fails when it is not an event. */
        public AuditEvent event() {
            try {
                return AuditEventJson.fromBytes(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("line at position " + position + " of "
                        + segment.path().getFileName() + " is not an audit event: " + e.getMessage(), e);
            }
        }
    }

    private final List<Segment> segments;
    private final long from;
    private long startOffset;
    private int index = -1;
    private long position;
    private LineReader lines;
    private LogLine next;

    private AuditLogReader(List<Segment> segments, long from) {
        this.segments = segments;
        this.from = from;
    }

    /** Reads {@code directory} from the start. */
    public static AuditLogReader open(Path directory) throws IOException {
        return from(directory, 0);
    }

    /** Reads {@code directory} from position {@code from}, skipping whole segments before it. */
    public static AuditLogReader from(Path directory, long from) throws IOException {
        List<Segment> all = Segment.list(directory);
        int start = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).firstSeq() <= from) {
                start = i;
            }
        }
        return new AuditLogReader(all.subList(start, all.size()), from);
    }

    /**
     * Reads from position {@code position}, known to start at byte {@code offset} of {@code segment} (the end of a
     * line read before), without rescanning the segment: how a consumer that follows the log resumes.
     */
    public static AuditLogReader resume(Path directory, long position, Segment segment, long offset)
            throws IOException {
        List<Segment> all = Segment.list(directory);
        int start = all.indexOf(segment);
        if (start < 0) {
            return from(directory, position);
        }
        AuditLogReader reader = new AuditLogReader(all.subList(start, all.size()), position);
        reader.startOffset = offset;
        reader.resumePosition = position;
        return reader;
    }

    private long resumePosition = -1;

    /** All events from the start, parsed; the stream must be closed. */
    public static Stream<AuditEvent> events(Path directory) throws IOException {
        AuditLogReader reader = open(directory);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(reader, Spliterator.ORDERED), false)
                .map(LogLine::event).onClose(reader::close);
    }

    @Override
    public boolean hasNext() {
        try {
            while (next == null) {
                if (lines == null && !openNextSegment()) {
                    return false;
                }
                LineReader.Line line = lines.next();
                if (line == null) {
                    lines.close();
                    lines = null;
                    continue;
                }
                long pos = position++;
                if (pos >= from) {
                    next = new LogLine(pos, segments.get(index), line.offset(), line.bytes());
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public LogLine next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        LogLine line = next;
        next = null;
        return line;
    }

    private boolean openNextSegment() throws IOException {
        if (index + 1 >= segments.size()) {
            return false;
        }
        index++;
        if (index == 0 && resumePosition >= 0) {
            position = resumePosition;
            lines = new LineReader(segments.get(index).path(), startOffset);
            return true;
        }
        position = segments.get(index).firstSeq();
        lines = new LineReader(segments.get(index).path());
        return true;
    }

    @Override
    public void close() {
        if (lines != null) {
            try {
                lines.close();
            } catch (IOException ignored) {
                // reading is over
            }
            lines = null;
        }
    }
}
