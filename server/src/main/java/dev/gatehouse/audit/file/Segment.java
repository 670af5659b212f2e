package dev.gatehouse.audit.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One file of the log: {@code segment-<first seq, 20 digits>.jsonl}. Segments hold consecutive positions; a
 * segment's events end where the next segment's begin.
 *
 * @param firstSeq the position of the segment's first event
 * @param path     the segment's file
 */
public record Segment(long firstSeq, Path path) {
    private static final Pattern NAME = Pattern.compile("segment-(\\d{20})\\.jsonl");

    /** The file name of the segment starting at {@code firstSeq}. */
    public static String fileName(long firstSeq) {
        return String.format("segment-%020d.jsonl", firstSeq);
    }

    /** The segment starting at {@code firstSeq} in {@code directory}. */
    public static Segment in(Path directory, long firstSeq) {
        return new Segment(firstSeq, directory.resolve(fileName(firstSeq)));
    }

    /** The segments of {@code directory} in log order; empty when the directory does not exist. */
    public static List<Segment> list(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Segment> segments = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.forEach(file -> {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (m.matches()) {
                    segments.add(new Segment(Long.parseLong(m.group(1)), file));
                }
            });
        }
        segments.sort(Comparator.comparingLong(Segment::firstSeq));
        return segments;
    }
}
