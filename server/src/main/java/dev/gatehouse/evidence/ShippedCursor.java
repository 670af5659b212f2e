package dev.gatehouse.evidence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What has been shipped, durable across restarts: {@code <dataDir>/evidence/shipped.jsonl}, one line per object
 * stored ({@code key}, {@code size}, {@code sha256}), appended and forced after the store confirmed the upload. A
 * torn last line (a crash mid-append) is cut on open: that object is looked at again, and found in the store with
 * the same bytes.
 */
final class ShippedCursor implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Entry(String key, long size, String sha256) {
    }

    private final FileChannel channel;
    private final Map<String, Entry> shipped = new LinkedHashMap<>();

    private ShippedCursor(FileChannel channel) {
        this.channel = channel;
    }

    static ShippedCursor open(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        ShippedCursor cursor = new ShippedCursor(ch);
        byte[] all = Files.readAllBytes(file);
        int keep = 0;
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                String line = new String(all, start, i - start, StandardCharsets.UTF_8);
                if (!line.isBlank()) {
                    Entry e = JSON.readValue(line, Entry.class);
                    cursor.shipped.put(e.key(), e);
                }
                start = i + 1;
                keep = start;
            }
        }
        if (keep < all.length) {
            ch.truncate(keep);
        }
        ch.position(keep);
        return cursor;
    }

    synchronized boolean contains(String key) {
        return shipped.containsKey(key);
    }

    synchronized Entry get(String key) {
        return shipped.get(key);
    }

    synchronized int size() {
        return shipped.size();
    }

    synchronized void add(Entry entry) throws IOException {
        ByteBuffer line = ByteBuffer.wrap((JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8));
        while (line.hasRemaining()) {
            channel.write(line);
        }
        channel.force(false);
        shipped.put(entry.key(), entry);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
