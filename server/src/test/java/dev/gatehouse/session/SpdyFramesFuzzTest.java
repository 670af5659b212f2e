package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.vertx.core.buffer.Buffer;

/**
 * SPDY/3.1 through the splitter and Netty's codec under hostile bytes: whole frames relayed unchanged, or refused.
 * Jazzer fuzzes one target per JVM, so each target has its own class; the suite runs every class in fuzzing mode for a
 * few seconds ({@code fuzz} execution in server/pom.xml), {@code scripts/fuzz.sh} for longer. Inputs that broke a
 * target are kept under src/test/resources and replayed in every run.
 */
class SpdyFramesFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void spdyFramesAreSplitWholeAndReadOrRefused(FuzzedDataProvider data) {
        boolean portForward = data.consumeBoolean();
        SpdyFraming framing = new SpdyFraming(portForward, new CountingEvents(), 64 * 1024);
        ByteArrayOutputStream fed = new ByteArrayOutputStream();
        ByteArrayOutputStream relayed = new ByteArrayOutputStream();
        try {
            while (data.remainingBytes() > 0) {
                boolean client = data.consumeBoolean();
                byte[] chunk = data.consumeBytes(1 + data.consumeInt(0, 300));
                if (client) {
                    fed.writeBytes(chunk);
                    framing.fromClient(Buffer.buffer(chunk), b -> relayed.writeBytes(b.getBytes()));
                } else {
                    framing.fromCluster(Buffer.buffer(chunk), b -> { }, b -> { });
                }
            }
        } catch (FrameException refused) {
            return;
        } finally {
            framing.close();
        }
        byte[] in = fed.toByteArray();
        assertThat(java.util.Arrays.copyOf(in, relayed.size())).isEqualTo(relayed.toByteArray());
    }
}
