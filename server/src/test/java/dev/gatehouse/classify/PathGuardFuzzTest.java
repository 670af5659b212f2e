package dev.gatehouse.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.gatehouse.status.GatewayException;

/**
 * The path guard under hostile paths: refused with 400, or accepted only when the apiserver reads the same bytes the
 * gateway classified — Go's {@code url.PathUnescape} and {@code path.Clean} leave it unchanged, and the apiserver's
 * split gives the segments the classifier used ({@link ApiServerReading}). The same holds for the path the cluster
 * gets after {@code /clusters/<name>}. Jazzer fuzzes one target per JVM, so each target has its own class; the suite
 * runs every class in fuzzing mode for a few seconds ({@code fuzz} execution in server/pom.xml),
 * {@code scripts/fuzz.sh} for longer. Inputs that broke a target are kept under src/test/resources and replayed in
 * every run.
 */
class PathGuardFuzzTest {
    private static final List<String> PIECES = List.of("/", "//", "/.", "/..", ".", "..", "%", "%2F", "%2e", "%25",
            ";", "\\", "\u0000", "\r\n", " ", "\u00e9", "\uff0f", "/clusters/", "c1", "api", "v1", "namespaces",
            "secrets", "?", "#", "+");

    @FuzzTest(maxDuration = "5s")
    void acceptsOnlyPathsTheApiserverReadsUnchanged(FuzzedDataProvider data) {
        StringBuilder b = new StringBuilder();
        while (data.remainingBytes() > 0 && b.length() < 200) {
            b.append(data.consumeBoolean() ? data.pickValue(PIECES) : data.consumeString(6));
        }
        String path = b.toString();
        try {
            assertThat(PathGuard.check(path)).isSameAs(path);
        } catch (GatewayException refused) {
            assertThat(refused.status().code()).as(refused.getMessage()).isEqualTo(400);
            return;
        }
        assertReadUnchanged(path);
        if (path.startsWith("/clusters/")) {
            int slash = path.indexOf('/', "/clusters/".length());
            assertReadUnchanged(slash < 0 ? "/" : path.substring(slash));
        }
    }

    private static void assertReadUnchanged(String path) {
        assertThat(ApiServerReading.pathUnescape(path)).as(path).isEqualTo(ApiServerReading.bytes(path));
        assertThat(ApiServerReading.clean(path)).as(path).isEqualTo(path);
        assertThat(PathGuard.segments(path)).as(path).isEqualTo(ApiServerReading.splitPath(path));
        assertThat(path).as(path).doesNotContain("?", "#", ";", "\\");
    }
}
