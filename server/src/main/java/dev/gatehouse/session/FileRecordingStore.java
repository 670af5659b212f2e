package dev.gatehouse.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Recordings as files under {@code <dataDir>/sessions}: {@code <id>.raw}, {@code <id>.cast} and, once the session
 * ended, {@code <id>.json} (its {@link SessionSummary}, written atomically).
 */
public final class FileRecordingStore implements RecordingStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public FileRecordingStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    public Path directory() {
        return dir;
    }

    @Override
    public Sink create(String sessionId) throws IOException {
        RecordingStore.checkId(sessionId);
        return new FileSink(open(file(sessionId, Part.RAW)), open(file(sessionId, Part.CAST)));
    }

    private static FileChannel open(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    @Override
    public void writeSummary(SessionSummary summary) throws IOException {
        Path target = dir.resolve(RecordingStore.checkId(summary.id()) + ".json");
        Path temp = dir.resolve(summary.id() + ".json.tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(summary));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public List<SessionSummary> list() throws IOException {
        List<SessionSummary> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                all.add(JSON.readValue(file.toFile(), SessionSummary.class));
            }
        }
        all.sort(Comparator.comparing(SessionSummary::started).thenComparing(SessionSummary::id));
        return all;
    }

    @Override
    public Optional<SessionSummary> summary(String sessionId) throws IOException {
        Path file = dir.resolve(RecordingStore.checkId(sessionId) + ".json");
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), SessionSummary.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream open(String sessionId, Part part) throws IOException {
        return Files.newInputStream(file(RecordingStore.checkId(sessionId), part));
    }

    private Path file(String sessionId, Part part) {
        return dir.resolve(sessionId + "." + part.suffix());
    }

    private static final class FileSink implements Sink {
        private final FileChannel raw;
        private final FileChannel cast;
        private final MessageDigest rawDigest = sha256();
        private final MessageDigest castDigest = sha256();
        private long rawBytes;
        private long castBytes;

        FileSink(FileChannel raw, FileChannel cast) {
            this.raw = raw;
            this.cast = cast;
        }

        @Override
        public void write(Part part, byte[] bytes) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            FileChannel channel = part == Part.RAW ? raw : cast;
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (part == Part.RAW) {
                rawDigest.update(bytes);
                rawBytes += bytes.length;
            } else {
                castDigest.update(bytes);
                castBytes += bytes.length;
            }
        }

        @Override
        public Sealed seal() throws IOException {
            try (raw; cast) {
                raw.force(true);
                cast.force(true);
            }
            HexFormat hex = HexFormat.of();
            return new Sealed(rawBytes, hex.formatHex(rawDigest.digest()), castBytes, hex.formatHex(castDigest.digest()));
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
