package dev.gatehouse.audit.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.gatehouse.audit.merkle.MerkleHash;

/**
 * {@code segment-<n>.leaves} beside each segment: the 32-byte leaf hash of every event, in order. It is derived
 * data, the live segment's rebuilt from its events on every open, and never trusted on its own: a verifier uses
 * it only when it reproduces a signed root, and then it pinpoints which event differs; for events no checkpoint
 * covers yet it is the only record of what was written (compared by the verifier and by recovery, before the
 * rebuild). Written out before every checkpoint; forced when its segment is sealed (on the checkpoint thread,
 * while the writer goes on appending) and on close.
 */
public final class LeafSidecar implements AutoCloseable {
    private static final int PENDING_LIMIT = 256 * 1024;
    private final FileChannel channel;
    private ByteBuffer pending = ByteBuffer.allocate(PENDING_LIMIT);

    private LeafSidecar(FileChannel channel) {
        this.channel = channel;
    }

    /** The sidecar file of {@code segment}. */
    public static Path pathOf(Segment segment) {
        String name = segment.path().getFileName().toString();
        return segment.path().resolveSibling(name.substring(0, name.length() - ".jsonl".length()) + ".leaves");
    }

    /** Replaces the sidecar of {@code segment} with {@code leaves} and keeps it open for appending. */
    static LeafSidecar rewrite(Segment segment, List<byte[]> leaves) throws IOException {
        FileChannel ch = FileChannel.open(pathOf(segment), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        ByteBuffer all = ByteBuffer.allocate(leaves.size() * MerkleHash.SIZE);
        leaves.forEach(all::put);
        all.flip();
        while (all.hasRemaining()) {
            ch.write(all);
        }
        ch.force(false);
        return new LeafSidecar(ch);
    }

    /**
     * Appends leaf hashes, buffered in memory and written in large pieces (a write to a second file after every
     * commit makes the commits' fsyncs wait on each other's journal work); lost buffered hashes after a crash are
     * rebuilt from the events.
     */
    void append(ByteBuffer hashes) throws IOException {
        if (pending.remaining() < hashes.remaining()) {
            writePending();
        }
        if (pending.remaining() < hashes.remaining()) {
            write(hashes);
        } else {
            pending.put(hashes);
        }
    }

    /** Writes what is buffered and forces the file (before a checkpoint). */
    void force() throws IOException {
        flush();
        sync();
    }

    /** Writes what is buffered to the file, without forcing it (on the writer thread). */
    void flush() throws IOException {
        writePending();
    }

    /** Forces what has been written to the file; safe from another thread while the writer appends. */
    void sync() throws IOException {
        channel.force(false);
    }

    private void writePending() throws IOException {
        pending.flip();
        write(pending);
        pending.clear();
    }

    private void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            force();
        } finally {
            channel.close();
        }
    }

    /** The leaf hashes stored for {@code segment}; empty when there is no sidecar. */
    public static List<byte[]> read(Segment segment) throws IOException {
        Path path = pathOf(segment);
        if (!Files.exists(path)) {
            return List.of();
        }
        byte[] all = Files.readAllBytes(path);
        List<byte[]> leaves = new ArrayList<>(all.length / MerkleHash.SIZE);
        for (int i = 0; i + MerkleHash.SIZE <= all.length; i += MerkleHash.SIZE) {
            leaves.add(Arrays.copyOfRange(all, i, i + MerkleHash.SIZE));
        }
        return leaves;
    }
}
