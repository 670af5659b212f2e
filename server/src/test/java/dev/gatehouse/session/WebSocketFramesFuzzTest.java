package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.vertx.core.buffer.Buffer;

/**
 * The WebSocket framer under hostile bytes: whole frames relayed unchanged, or the stream refused with a {@link
 * FrameException}. Jazzer fuzzes one target per JVM, so each target has its own class; the suite runs every class in
 * fuzzing mode for a few seconds ({@code fuzz} execution in server/pom.xml), {@code scripts/fuzz.sh} for longer.
 * Inputs that broke a target are kept under src/test/resources and replayed in every run.
 */
class WebSocketFramesFuzzTest {
    /** Feeds {@code data} in chunks the fuzzer chooses; returns what was relayed, or null when the stream was refused. */
    private static byte[] relayWebSocket(FuzzedDataProvider data, boolean fromClient, List<WebSocketFrames.Frame> out) {
        WebSocketFrames frames = new WebSocketFrames(fromClient, 64 * 1024);
        ByteArrayOutputStream relayed = new ByteArrayOutputStream();
        ByteArrayOutputStream fed = new ByteArrayOutputStream();
        try {
            while (data.remainingBytes() > 0) {
                byte[] chunk = data.consumeBytes(1 + data.consumeInt(0, 300));
                fed.writeBytes(chunk);
                frames.feed(Buffer.buffer(chunk), frame -> {
                    relayed.writeBytes(frame.raw().getBytes());
                    out.add(frame);
                });
            }
        } catch (FrameException refused) {
            return null;
        }
        byte[] in = fed.toByteArray();
        byte[] relayedBytes = relayed.toByteArray();
        // whole frames only, in order, unchanged: what was relayed is a prefix of what came in, and the rest is pending
        assertThat(java.util.Arrays.copyOf(in, relayedBytes.length)).isEqualTo(relayedBytes);
        assertThat(frames.atBoundary()).isEqualTo(relayedBytes.length == in.length);
        return relayedBytes;
    }

    @FuzzTest(maxDuration = "15s")
    void webSocketFramesAreRelayedWholeAndUnchanged(FuzzedDataProvider data) {
        boolean fromClient = data.consumeBoolean();
        List<WebSocketFrames.Frame> frames = new ArrayList<>();
        if (relayWebSocket(data, fromClient, frames) == null) {
            return;
        }
        for (WebSocketFrames.Frame frame : frames) {
            // the payload the recording sees re-encodes to the frame that was relayed
            byte[] raw = frame.raw().getBytes();
            if (!fromClient && raw.length > 0 && (raw[0] & 0x80) != 0) {
                int opcode = raw[0] & 0x0F;
                assertThat(WebSocketFrames.serverFrame(opcode, frame.payload()).getBytes()).isEqualTo(raw);
            }
        }
    }
}
