package dev.gatehouse.export.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import dev.gatehouse.export.ExportRecord;
import dev.gatehouse.export.ExportSink;

/**
 * Appends one event per line to {@code <dir>/<name>.jsonl}, forced after each batch. Past {@code maxBytes} the file
 * is renamed {@code <name>-<first position>.jsonl} and a new one started; only the newest {@code keepFiles}
 * rotated files are kept.
 */
public final class JsonLinesFileSink implements ExportSink {
    private final Path dir;
    private final String name;
    private final long maxBytes;
    private final int keepFiles;
    private FileChannel channel;
    private long firstSeqInFile = -1;

    public JsonLinesFileSink(Path dir, String name, long maxBytes, int keepFiles) {
        if (maxBytes <= 0 || keepFiles < 0) {
            throw new IllegalArgumentException("export.file: maxBytes " + maxBytes + ", keepFiles " + keepFiles
                    + " (expected: > 0 and >= 0)");
        }
        this.dir = dir;
        this.name = name;
        this.maxBytes = maxBytes;
        this.keepFiles = keepFiles;
    }

    public Path current() {
        return dir.resolve(name + ".jsonl");
    }

    @Override
    public void deliver(List<ExportRecord> batch) throws IOException {
        if (channel == null) {
            Files.createDirectories(dir);
            channel = FileChannel.open(current(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }
        if (channel.size() >= maxBytes) {
            rotate();
        }
        if (firstSeqInFile < 0) {
            firstSeqInFile = batch.getFirst().seq();
        }
        int size = batch.stream().mapToInt(r -> r.payload().length + 1).sum();
        ByteBuffer buf = ByteBuffer.allocate(size);
        batch.forEach(r -> buf.put(r.payload()).put((byte) '\n'));
        buf.flip();
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        channel.force(false);
    }

    private void rotate() throws IOException {
        channel.close();
        channel = null;
        Files.move(current(), dir.resolve(name + "-" + String.format("%020d", Math.max(firstSeqInFile, 0)) + ".jsonl"));
        firstSeqInFile = -1;
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> rotated = files.filter(f -> f.getFileName().toString().matches(name + "-\\d{20}\\.jsonl"))
                    .sorted().toList();
            for (int i = 0; i < rotated.size() - keepFiles; i++) {
                Files.delete(rotated.get(i));
            }
        }
        channel = FileChannel.open(current(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    @Override
    public String describe() {
        return "file " + current();
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
