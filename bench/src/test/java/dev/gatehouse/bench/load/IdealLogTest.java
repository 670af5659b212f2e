package dev.gatehouse.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable-wait control: the ideal log's line is what the harness parses, and its file does not stay behind. */
class IdealLogTest {
    @TempDir
    Path dir;

    @Test
    void commitsEveryEventAndPrintsTheLineTheHarnessReads() throws Exception {
        Path file = dir.resolve("ideal.dat");
        boolean[] ready = new boolean[1];
        String line = IdealLogMain.measure(file, 200, 1, 512, () -> ready[0] = true);

        assertThat(ready[0]).isTrue();
        Matcher m = DurableWait.IDEAL.matcher(line);
        assertThat(m.find()).as(line).isTrue();
        assertThat(Long.parseLong(m.group(1))).isEqualTo(200);
        long commits = Long.parseLong(m.group(6));
        assertThat(commits).isBetween(1L, 200L);
        double p50 = Double.parseDouble(m.group(2));
        double p99 = Double.parseDouble(m.group(3));
        double max = Double.parseDouble(m.group(5));
        assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(max);
        assertThat(file).doesNotExist();
    }

    @Test
    void theMeanEventSizeCountsLinesAndLeavesThePaddingOut() throws Exception {
        Path audit = Files.createDirectories(dir.resolve("audit"));
        Files.writeString(audit.resolve("segment-00000000000000000000.jsonl"), "a".repeat(99) + "\n"
                + "b".repeat(199) + "\n", StandardCharsets.US_ASCII);
        byte[] live = new byte[300 + 4096];
        System.arraycopy(("c".repeat(299) + "\n").getBytes(StandardCharsets.US_ASCII), 0, live, 0, 300);
        Files.write(audit.resolve("segment-00000000000000000002.jsonl"), live);
        Files.writeString(audit.resolve("segment-00000000000000000000.leaves"), "not an event\n".repeat(50));

        assertThat(DurableWait.meanEventBytes(audit)).isEqualTo((100 + 200 + 300) / 3);
    }
}
