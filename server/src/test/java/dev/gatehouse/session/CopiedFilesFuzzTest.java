package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Tar streams as {@code kubectl cp} sends them, and any other bytes: files listed, or the stream said unreadable.
 * Jazzer fuzzes one target per JVM, so each target has its own class; the suite runs every class in fuzzing mode for a
 * few seconds ({@code fuzz} execution in server/pom.xml), {@code scripts/fuzz.sh} for longer. Inputs that broke a
 * target are kept under src/test/resources and replayed in every run.
 */
class CopiedFilesFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void tarStreamsListFilesOrSayTheyAreUnreadable(byte[] stream) throws IOException {
        List<SessionSummary.CopiedFile> files = CopiedFiles.read(new ByteArrayInputStream(stream), "to-pod");
        for (SessionSummary.CopiedFile file : files) {
            assertThat(file.size() >= 0 || file.path().startsWith("(unreadable")).isTrue();
        }
    }
}
