package dev.gatehouse.audit.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import dev.gatehouse.audit.file.Segment;

/** Edits a log directory's segment files the way an attacker with disk access would. */
final class LogTamper {
    private final List<Segment> segments;
    private final List<List<String>> lines = new ArrayList<>();

    LogTamper(Path directory) throws IOException {
        segments = Segment.list(directory);
        for (Segment s : segments) {
            lines.add(new ArrayList<>(Files.readAllLines(s.path(), StandardCharsets.UTF_8)));
        }
    }

    private int[] locate(long position) {
        long p = position;
        for (int i = 0; i < lines.size(); i++) {
            if (p < lines.get(i).size()) {
                return new int[] {i, (int) p};
            }
            p -= lines.get(i).size();
        }
        throw new IllegalArgumentException("no position " + position);
    }

    String get(long position) {
        int[] at = locate(position);
        return lines.get(at[0]).get(at[1]);
    }

    LogTamper edit(long position, UnaryOperator<String> change) {
        int[] at = locate(position);
        lines.get(at[0]).set(at[1], change.apply(lines.get(at[0]).get(at[1])));
        return this;
    }

    LogTamper delete(long position) {
        int[] at = locate(position);
        lines.get(at[0]).remove(at[1]);
        return this;
    }

    LogTamper insert(long position, String line) {
        int[] at = locate(position);
        lines.get(at[0]).add(at[1], line);
        return this;
    }

    LogTamper swap(long a, long b) {
        String first = get(a);
        String second = get(b);
        edit(a, x -> second);
        return edit(b, x -> first);
    }

    LogTamper truncateTo(long size) {
        long keep = size;
        for (List<String> segment : lines) {
            if (keep >= segment.size()) {
                keep -= segment.size();
            } else {
                segment.subList((int) keep, segment.size()).clear();
                keep = 0;
            }
        }
        return this;
    }

    void write() throws IOException {
        for (int i = 0; i < segments.size(); i++) {
            StringBuilder sb = new StringBuilder();
            lines.get(i).forEach(l -> sb.append(l).append('\n'));
            Files.writeString(segments.get(i).path(), sb.toString(), StandardCharsets.UTF_8);
        }
    }
}
