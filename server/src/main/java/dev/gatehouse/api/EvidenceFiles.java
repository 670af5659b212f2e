package dev.gatehouse.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import dev.gatehouse.export.setup.EventShapes;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.file.AuditLogReader;
import dev.gatehouse.audit.file.Segment;
import dev.gatehouse.audit.query.QueryIndex;
import dev.gatehouse.audit.verify.InclusionProofDocument;
import dev.gatehouse.audit.verify.InclusionProver;
import dev.gatehouse.audit.verify.LogVerifier;
import dev.gatehouse.audit.verify.VerificationReport;
import dev.gatehouse.export.EventShape;

/**
 * The API's reads of the live log directory: the SQLite index, the verifier, the prover, the public keys and
 * export. Every method blocks (disk, SQLite, hashing): the API calls them on a worker thread only. Reads see the
 * events that are durable ({@code size}); the index lives beside the log as for {@code gatehouse audit query}.
 */
public final class EvidenceFiles implements AutoCloseable {
    /** Bytes of JSON lines one export chunk carries at most (a line is never split). */
    static final int EXPORT_CHUNK = 256 * 1024;

    private final Path directory;
    private final LongSupplier size;
    private QueryIndex index;

    /** @param size how many events are durable (the log's next position); reads stop there */
    public EvidenceFiles(Path directory, LongSupplier size) {
        this.directory = directory;
        this.size = size;
    }

    /** One page of events; {@code next} is the {@code continue} value of the next page, or null at the end. */
    public record Page(List<AuditEvent> items, Long next) {
    }

    /** The page of {@code read}, the index first brought up to date. */
    public synchronized Page query(EvidenceRead.Query read) throws IOException {
        if (index == null) {
            index = QueryIndex.open(requireDirectory(), QueryIndex.defaultFile(directory));
        }
        index.catchUp();
        List<AuditEvent> all = index.query(read.query());
        int pageSize = Integer.parseInt(read.details().get("limit"));
        int from = (int) Math.min(read.skip(), all.size());
        int to = Math.min(from + pageSize, all.size());
        Long next = all.size() > from + pageSize ? read.skip() + pageSize : null;
        return new Page(List.copyOf(all.subList(from, to)), next);
    }

    public VerificationReport verify() throws IOException {
        return new LogVerifier(KeyDirectory.in(requireDirectory()).publicKeys()).verify(directory);
    }

    public InclusionProofDocument prove(String auditId) throws IOException {
        return new InclusionProver(KeyDirectory.in(requireDirectory()).publicKeys()).prove(directory, auditId);
    }

    /** The public keys as {@code gatehouse audit keys} prints them: a {@code # file} line, then its PEM. */
    public List<String> keys() throws IOException {
        Path dir = KeyDirectory.in(requireDirectory()).path();
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            List<Path> pubs = files.filter(f -> f.getFileName().toString().endsWith(".pub")).sorted().toList();
            List<String> pems = new java.util.ArrayList<>();
            for (Path p : pubs) {
                pems.add("# " + p.getFileName() + "\n" + Files.readString(p));
            }
            return pems;
        }
    }

    /**
     * Positions {@code from..to} of an export bounded by what is durable now; {@code count} is how many events
     * it will carry (0 when the range is empty or already deleted past retention).
     */
    public record ExportRange(long from, long to, long count) {
    }

    public ExportRange exportRange(EvidenceRead.Export read) throws IOException {
        List<Segment> segments = Segment.list(requireDirectory());
        long first = segments.isEmpty() ? 0 : segments.getFirst().firstSeq();
        long from = Math.max(read.from(), first);
        long to = Math.min(read.to(), size.getAsLong() - 1);
        return new ExportRange(from, to, Math.max(0, to - from + 1));
    }

    /** Reads an export range chunk by chunk; each {@link #next()} is one bounded buffer of JSON lines. */
    public final class ExportCursor implements AutoCloseable {
        private final AuditLogReader reader;
        private final long to;
        private final EventShape shape;
        private boolean done;

        private ExportCursor(ExportRange range, EventShape shape) throws IOException {
            this.reader = AuditLogReader.from(directory, range.from());
            this.to = range.to();
            this.shape = shape;
        }

        /** The next chunk, or null when the range is done. Blocks. */
        public byte[] next() throws IOException {
            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            while (!done && chunk.size() < EXPORT_CHUNK) {
                AuditLogReader.LogLine line = reader.hasNext() ? reader.next() : null;
                if (line == null || line.position() > to) {
                    done = true;
                    break;
                }
                AuditEvent event = line.event();
                chunk.write(shape.shape(event, line.bytes()));
                chunk.write('\n');
            }
            return chunk.size() == 0 ? null : chunk.toByteArray();
        }

        @Override
        public void close() {
            reader.close();
        }
    }

    public ExportCursor export(ExportRange range, String shape) throws IOException {
        return new ExportCursor(range, EventShapes.named(shape));
    }

    private Path requireDirectory() throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("no audit log directory at " + directory);
        }
        return directory;
    }

    @Override
    public synchronized void close() {
        if (index != null) {
            index.close();
            index = null;
        }
    }
}
