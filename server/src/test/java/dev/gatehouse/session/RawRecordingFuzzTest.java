package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Recordings read back from disk, torn or forged: records read, or the reader stops; never an allocation the file does
 * not justify. Jazzer fuzzes one target per JVM, so each target has its own class; the suite runs every class in
 * fuzzing mode for a few seconds ({@code fuzz} execution in server/pom.xml), {@code scripts/fuzz.sh} for longer.
 * Inputs that broke a target are kept under src/test/resources and replayed in every run.
 */
class RawRecordingFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void rawRecordingsReadBackOrStop(byte[] recording) {
        byte[] withMagic = new byte[RawRecording.MAGIC.length + recording.length];
        System.arraycopy(RawRecording.MAGIC, 0, withMagic, 0, RawRecording.MAGIC.length);
        System.arraycopy(recording, 0, withMagic, RawRecording.MAGIC.length, recording.length);
        try (RawRecording.Reader reader = new RawRecording.Reader(new ByteArrayInputStream(withMagic))) {
            int records = 0;
            while (reader.next() != null) {
                records++;
                assertThat(records).isLessThanOrEqualTo(recording.length);
            }
        } catch (IOException unreadable) {
            // "a recording record of N bytes": refused, not allocated
        }
    }
}
