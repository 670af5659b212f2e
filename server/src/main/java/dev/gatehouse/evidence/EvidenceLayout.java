package dev.gatehouse.evidence;

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
import dev.gatehouse.audit.file.Segment;
import dev.gatehouse.session.RecordingStore;

/**
 * Which local files become which objects, in shipping order. Under {@code <prefix>/<replica>/}:
 * <ul>
 *   <li>{@code keys/ed25519-<id>.pub}: every public key the log announced;</li>
 *   <li>{@code audit/segment-<first>.jsonl}: a sealed segment, once a checkpoint was signed at its end;</li>
 *   <li>{@code audit/checkpoints-<end>.jsonl}: the checkpoint lines signed at sizes {@code first..end} of that
 *       segment, exactly as written — written once to {@code <dataDir>/evidence/outbox} so the object's bytes are
 *       the same whenever it is (re)tried;</li>
 *   <li>{@code sessions/<id>.raw}, {@code .cast}, then {@code .json}: a finished session's recording and summary.</li>
 * </ul>
 */
final class EvidenceLayout {
    /** One object to ship: its key under the replica's prefix and the local file holding its bytes. */
    record Item(String key, Path file, Segment segment) {
    }

    private final Path logDir;
    private final Path sessionsDir;
    private final Path outbox;

    private final CheckpointLines checkpoints = new CheckpointLines();

    EvidenceLayout(Path logDir, Path sessionsDir, Path outbox) {
        this.logDir = logDir;
        this.sessionsDir = sessionsDir;
        this.outbox = outbox;
    }

    static String segmentKey(Segment s) {
        return "audit/" + s.path().getFileName();
    }

    static String checkpointsKey(long end) {
        return String.format("audit/checkpoints-%020d.jsonl", end);
    }

    /** Everything shippable now, in order (already shipped items included: the caller skips them). */
    List<Item> items() throws IOException {
        List<Item> items = new ArrayList<>();
        Path keys = KeyDirectory.in(logDir).path();
        if (Files.isDirectory(keys)) {
            try (Stream<Path> files = Files.list(keys)) {
                files.filter(p -> p.getFileName().toString().endsWith(".pub")).sorted()
                        .forEach(p -> items.add(new Item("keys/" + p.getFileName(), p, null)));
            }
        }
        List<Segment> segments = Segment.list(logDir);
        checkpoints.readNew();
        if (!segments.isEmpty()) {
            checkpoints.forgetBefore(segments.getFirst().firstSeq()); // segments retention already deleted
        }
        for (int i = 0; i < segments.size() - 1; i++) {
            Segment s = segments.get(i);
            long end = segments.get(i + 1).firstSeq();
            Path batch = outbox.resolve(checkpointsKey(end).substring("audit/".length()));
            if (!Files.exists(batch) && !checkpoints.signedAt(end)) {
                break; // its sealing checkpoint is not written yet
            }
            items.add(new Item(segmentKey(s), s.path(), s));
            items.add(new Item(checkpointsKey(end), checkpointBatch(batch, s.firstSeq(), end), s));
        }
        items.addAll(recordings());
        return items;
    }

    private List<Item> recordings() throws IOException {
        List<Item> items = new ArrayList<>();
        if (!Files.isDirectory(sessionsDir)) {
            return items;
        }
        List<String> finished;
        try (Stream<Path> files = Files.list(sessionsDir)) {
            finished = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .filter(id -> RecordingStore.SESSION_ID.matcher(id).matches()).sorted().toList();
        }
        for (String id : finished) {
            for (String suffix : new String[] {".raw", ".cast", ".json"}) {
                Path file = sessionsDir.resolve(id + suffix);
                if (Files.exists(file)) {
                    items.add(new Item("sessions/" + id + suffix, file, null));
                }
            }
        }
        return items;
    }

    private static Long treeSize(String line) {
        try {
            return AuditEventJson.mapper().readValue(line, Checkpoint.class).treeSize();
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The outbox file of the checkpoints signed at sizes first..end, written once and kept. */
    private Path checkpointBatch(Path file, long first, long end) throws IOException {
        if (Files.exists(file)) {
            checkpoints.forgetBefore(end);
            return file;
        }
        Files.createDirectories(outbox);
        StringBuilder b = new StringBuilder();
        for (String line : checkpoints.between(first, end)) {
            b.append(line).append('\n');
        }
        Path tmp = outbox.resolve(file.getFileName() + ".tmp");
        Files.writeString(tmp, b, StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        checkpoints.forgetBefore(end);
        return file;
    }

    /**
     * {@code checkpoints.jsonl} read incrementally: each pass reads only the complete lines appended since the
     * last (the file grows by up to ~2.8 KB/s), keeping the lines no written batch has consumed yet.
     */
    private final class CheckpointLines {
        private long offset;
        private final java.util.TreeMap<Long, List<String>> bySize = new java.util.TreeMap<>();

        void readNew() throws IOException {
            Path file = logDir.resolve(CheckpointLog.FILE);
            if (!Files.exists(file)) {
                return;
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size < offset) {
                    offset = 0; // cut on open (a torn line): read it again
                    bySize.clear();
                }
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) Math.min(size - offset, 64L << 20));
                while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
                    // read what is there
                }
                byte[] bytes = java.util.Arrays.copyOf(buf.array(), buf.position());
                int start = 0;
                for (int i = 0; i < bytes.length; i++) {
                    if (bytes[i] == '\n') {
                        String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                        Long treeSize = line.isBlank() ? null : treeSize(line);
                        if (treeSize != null) {
                            bySize.computeIfAbsent(treeSize, k -> new ArrayList<>()).add(line);
                        }
                        start = i + 1;
                    }
                }
                offset += start; // a line being appended is not complete yet: read it next time
            }
        }

        boolean signedAt(long size) {
            return bySize.containsKey(size);
        }

        List<String> between(long first, long end) {
            List<String> out = new ArrayList<>();
            bySize.subMap(first, true, end, true).values().forEach(out::addAll);
            return out;
        }

        void forgetBefore(long size) {
            bySize.headMap(size, false).clear();
        }
    }
}
