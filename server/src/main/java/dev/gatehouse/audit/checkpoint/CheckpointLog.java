package dev.gatehouse.audit.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.gatehouse.audit.AuditEventJson;

/**
 * {@code checkpoints.jsonl} beside the segments: one signed checkpoint per line, appended and forced. Reading
 * keeps unparsable lines as null entries so a verifier can say which line is broken.
 */
public final class CheckpointLog implements AutoCloseable {
    public static final String FILE = "checkpoints.jsonl";
    private final FileChannel channel;

    private CheckpointLog(FileChannel channel) {
        this.channel = channel;
    }

    /** Opens the checkpoint file of {@code auditDirectory} for appending, cutting a torn last line. */
    public static CheckpointLog open(Path auditDirectory) throws IOException {
        Path file = auditDirectory.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        long size = ch.size();
        long keep = size;
        ByteBuffer one = ByteBuffer.allocate(1);
        while (keep > 0) {
            one.clear();
            ch.read(one, keep - 1);
            if (one.get(0) == '\n') {
                break;
            }
            keep--;
        }
        if (keep < size) {
            ch.truncate(keep);
        }
        ch.position(keep);
        return new CheckpointLog(ch);
    }

    /** Appends {@code checkpoint} durably. */
    public void append(Checkpoint checkpoint) throws IOException {
        ByteBuffer line = ByteBuffer.wrap((toJson(checkpoint) + "\n").getBytes(StandardCharsets.UTF_8));
        while (line.hasRemaining()) {
            channel.write(line);
        }
        channel.force(false);
    }

    /** Every line of {@code auditDirectory}'s checkpoint file, parsed; null for a line that is not a checkpoint. */
    public static List<Checkpoint> read(Path auditDirectory) throws IOException {
        Path file = auditDirectory.resolve(FILE);
        List<Checkpoint> all = new ArrayList<>();
        if (!Files.exists(file)) {
            return all;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                all.add(AuditEventJson.mapper().readValue(line, Checkpoint.class));
            } catch (JsonProcessingException e) {
                all.add(null);
            }
        }
        return all;
    }

    /** The last well-formed checkpoint that saved its frontier, or null. */
    public static Checkpoint lastWithFrontier(Path auditDirectory) throws IOException {
        return lastMatching(auditDirectory, cp -> cp.frontier() != null);
    }

    /**
     * The last well-formed checkpoint {@code wanted} accepts, reading the file backwards from its end (a log signs
     * up to several checkpoints a second, so opening must not parse the whole file), or null.
     */
    static Checkpoint lastMatching(Path auditDirectory, java.util.function.Predicate<Checkpoint> wanted)
            throws IOException {
        Path file = auditDirectory.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = ch.size();
            byte[] carry = new byte[0]; // the start of a line whose beginning is in an earlier block
            ByteBuffer block = ByteBuffer.allocate(1 << 16);
            while (end > 0) {
                long start = Math.max(0, end - block.capacity());
                block.clear().limit((int) (end - start));
                while (block.hasRemaining() && ch.read(block, start + block.position()) > 0) {
                    // fill the block
                }
                byte[] bytes = new byte[block.position() + carry.length];
                System.arraycopy(block.array(), 0, bytes, 0, block.position());
                System.arraycopy(carry, 0, bytes, block.position(), carry.length);
                int lineEnd = bytes.length;
                for (int i = bytes.length - 1; i >= 0; i--) {
                    if (bytes[i] == '\n') {
                        Checkpoint cp = parse(bytes, i + 1, lineEnd);
                        if (cp != null && wanted.test(cp)) {
                            return cp;
                        }
                        lineEnd = i;
                    }
                }
                carry = java.util.Arrays.copyOf(bytes, lineEnd);
                end = start;
            }
            Checkpoint cp = parse(carry, 0, carry.length);
            return cp != null && wanted.test(cp) ? cp : null;
        }
    }

    private static Checkpoint parse(byte[] bytes, int from, int to) {
        if (to <= from) {
            return null;
        }
        String line = new String(bytes, from, to - from, StandardCharsets.UTF_8);
        if (line.isBlank()) {
            return null;
        }
        try {
            return AuditEventJson.mapper().readValue(line, Checkpoint.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * The checkpoints after byte {@code offset} of the file (complete lines only), and the offset to read from
     * next: how a follower reads only what is new.
     */
    public static Tail readFrom(Path auditDirectory, long offset) throws IOException {
        Path file = auditDirectory.resolve(FILE);
        List<Checkpoint> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return new Tail(out, offset);
        }
        byte[] bytes;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size <= offset) {
                return new Tail(out, offset);
            }
            ByteBuffer buf = ByteBuffer.allocate((int) (size - offset));
            while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
                // read the rest
            }
            bytes = buf.array();
        }
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                if (!line.isBlank()) {
                    try {
                        out.add(AuditEventJson.mapper().readValue(line, Checkpoint.class));
                    } catch (JsonProcessingException e) {
                        out.add(null);
                    }
                }
                start = i + 1;
            }
        }
        return new Tail(out, offset + start);
    }

    /** Checkpoints read from an offset, and where the next read starts. */
    public record Tail(List<Checkpoint> checkpoints, long nextOffset) {
    }

    /** The last well-formed checkpoint of {@code auditDirectory}, or null. */
    public static Checkpoint last(Path auditDirectory) throws IOException {
        return lastMatching(auditDirectory, cp -> true);
    }

    public static String toJson(Checkpoint checkpoint) {
        try {
            return AuditEventJson.mapper().writeValueAsString(checkpoint);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
