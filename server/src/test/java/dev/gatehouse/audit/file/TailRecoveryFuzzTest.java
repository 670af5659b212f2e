package dev.gatehouse.audit.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.TestEvents;
import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.verify.LogVerifier;
import dev.gatehouse.audit.verify.VerificationReport;

/**
 * The line reader and tail recovery under damaged segments: a real log's segment with its tail torn, overwritten,
 * zero-padded (and bytes after the zeros), given invalid UTF-8, a replayed line or a huge line. Recovery keeps every
 * event written wholly before the damage, byte for byte, cuts the rest into the quarantine file, and leaves a segment
 * whose every line is the next event. One input in eight also opens the whole log: it either recovers (the events
 * before the damage are there and the log verifies) or, when the damage reached events a checkpoint signed, it
 * refuses to write (not writable, saying why), never throws. Jazzer fuzzes one target per JVM, so each target has
 * its own class; the suite runs every class in fuzzing mode for a few seconds ({@code fuzz} execution in
 * server/pom.xml), {@code scripts/fuzz.sh} for longer. Inputs that broke a target are kept under src/test/resources
 * and replayed in every run.
 */
class TailRecoveryFuzzTest {
    private static final Path ROOT;
    private static final Path ORIGINAL;
    private static final byte[] SEGMENT;
    /** Where each original event's line ends (after its newline). */
    private static final long[] ENDS;
    private static long iteration;

    static {
        try {
            // in memory where the machine has it: every cut forces two files, which on a disk is most of an iteration
            Path shm = Path.of("/dev/shm");
            ROOT = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "tail-recovery-fuzz") : Files.createTempDirectory("tail-recovery-fuzz");
            ORIGINAL = ROOT.resolve("original");
            try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(ORIGINAL))) {
                for (int i = 0; i < 6; i++) {
                    log.append(TestEvents.any()).get();
                }
            }
            SEGMENT = Files.readAllBytes(ORIGINAL.resolve(Segment.fileName(0)));
            List<Long> ends = new ArrayList<>();
            for (int i = 0; i < SEGMENT.length; i++) {
                if (SEGMENT[i] == '\n') {
                    ends.add((long) i + 1);
                }
            }
            ENDS = ends.stream().mapToLong(Long::longValue).toArray();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(ROOT)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void recoveryKeepsEveryEventWrittenBeforeTheDamage(FuzzedDataProvider data) throws Exception {
        Path dir = ROOT.resolve("run-" + iteration++);
        try {
            boolean wholeLog = data.consumeInt(0, 7) == 7;
            if (wholeLog) {
                copy(ORIGINAL, dir);
            } else {
                Files.createDirectories(dir);
            }
            // mostly where a crash tears: in the last event or after it; sometimes anywhere
            int damageAt = data.consumeBoolean() ? data.consumeInt((int) ENDS[ENDS.length - 2], SEGMENT.length)
                    : data.consumeInt(0, SEGMENT.length);
            byte[] damaged = damage(data, damageAt);
            Path segment = dir.resolve(Segment.fileName(0));
            Files.write(segment, damaged);
            int intact = intactBefore(firstDifference(damaged)); // an empty tail changes nothing
            if (wholeLog) {
                openWhole(dir, intact);
            } else {
                recover(new Segment(0, segment), damaged, intact);
            }
        } finally {
            delete(dir);
        }
    }

    private static byte[] damage(FuzzedDataProvider data, int at) {
        byte[] tail = switch (data.consumeInt(0, 5)) {
            case 0 -> data.consumeBytes(4096);                                           // random, torn
            case 1 -> new byte[data.consumeInt(1, 1 << 20)];                             // zero padding
            case 2 -> concat(new byte[data.consumeInt(1, 70_000)], data.consumeBytes(512)); // zeros, then a page
            case 3 -> concat(Arrays.copyOfRange(SEGMENT, 0, (int) ENDS[0]), data.consumeBytes(64)); // a replayed line
            case 4 -> filled(data.consumeInt(1, 3 << 20), (byte) data.consumeInt(1, 255)); // a huge line
            default -> new byte[] {(byte) 0xC3, (byte) 0x28, '"', '}', (byte) 0xFF, '\n'}; // invalid UTF-8
        };
        byte[] out;
        if (data.consumeBoolean()) {
            out = concat(Arrays.copyOf(SEGMENT, at), tail);                               // torn at, then the tail
        } else {
            out = Arrays.copyOf(SEGMENT, Math.max(SEGMENT.length, at + tail.length));     // overwritten from at
            System.arraycopy(tail, 0, out, at, tail.length);
        }
        return out;
    }

    /** TailRecovery alone: the events before the damage kept, the rest quarantined, every kept line an event. */
    private static void recover(Segment segment, byte[] damaged, int intact) throws IOException {
        TailRecovery.Result result = TailRecovery.recover(segment);
        byte[] after = Files.readAllBytes(segment.path());
        assertThat(result.nextSeq()).isGreaterThanOrEqualTo(intact);
        assertThat((long) after.length).isGreaterThanOrEqualTo(result.size()); // the zero padding may stay
        long keep = intact == 0 ? 0 : ENDS[intact - 1];
        assertThat(Arrays.copyOf(after, (int) keep)).isEqualTo(Arrays.copyOf(SEGMENT, (int) keep));
        assertThat(Arrays.copyOf(damaged, after.length)).isEqualTo(after);
        long seq = 0;
        try (LineReader lines = new LineReader(segment.path())) {
            for (LineReader.Line line = lines.next(); line != null; line = lines.next()) {
                assertThat(TailRecovery.isEventAt(line.bytes(), seq)).as("line at %d", line.offset()).isTrue();
                seq++;
            }
            assertThat(lines.trailingBytes()).isZero();
        }
        assertThat(seq).isEqualTo(result.nextSeq());
        if (result.cutBytes() > 0) {
            assertThat((long) after.length).isEqualTo(result.size());
            byte[] cut = Files.readAllBytes(result.quarantine());
            assertThat(cut).hasSize((int) result.cutBytes());
            assertThat(Arrays.copyOfRange(damaged, after.length, after.length + cut.length)).isEqualTo(cut);
        } else {
            assertThat(result.quarantine()).isNull();
            for (int i = (int) result.size(); i < damaged.length; i++) {
                assertThat(damaged[i]).as("byte %d after the kept data", i).isZero();
            }
        }
    }

    /**
     * The whole log (every original event is signed): refused when a signed event was damaged; else recovered, and
     * it verifies exactly when no signed event was changed (an event changed in place but still well-formed is not a
     * torn tail: the open keeps it and verification reports it).
     */
    private static void openWhole(Path dir, int intact) throws IOException {
        try (ChainedFileAuditLog log = ChainedFileAuditLog.open(FileAuditLogConfig.of(dir))) {
            if (!log.health().writable()) {
                assertThat(log.health().problem()).isNotBlank();
                assertThat(intact).as("refused although every signed event is intact").isLessThan(ENDS.length);
                return;
            }
        }
        VerificationReport report = new LogVerifier(KeyDirectory.in(dir).publicKeys()).verify(dir);
        if (intact < ENDS.length) {
            assertThat(report.findings()).as("a signed event was changed").isNotEmpty();
            return;
        }
        assertThat(report.findings()).isEmpty();
        try (Stream<AuditEvent> events = AuditLogReader.events(dir)) {
            List<AuditEvent> all = events.toList();
            assertThat(all.size()).isGreaterThanOrEqualTo(intact);
            for (int i = 0; i < intact; i++) {
                assertThat(all.get(i).gatehouse().seq()).isEqualTo(i);
            }
        }
    }

    /** How many original events end at or before {@code offset}. */
    private static int intactBefore(long offset) {
        int n = 0;
        while (n < ENDS.length && ENDS[n] <= offset) {
            n++;
        }
        return n;
    }

    private static int firstDifference(byte[] damaged) {
        int n = Math.min(damaged.length, SEGMENT.length);
        for (int i = 0; i < n; i++) {
            if (damaged[i] != SEGMENT[i]) {
                return i;
            }
        }
        return n;
    }

    private static byte[] filled(int length, byte value) {
        byte[] b = new byte[length];
        Arrays.fill(b, value == '\n' ? (byte) 'x' : value);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
