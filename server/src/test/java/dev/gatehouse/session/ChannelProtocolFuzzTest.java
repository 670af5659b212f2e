package dev.gatehouse.session;

import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.vertx.core.buffer.Buffer;

/**
 * The Kubernetes channel protocols under hostile frames: decoded, or the session ended with a {@link FrameException}.
 * Jazzer fuzzes one target per JVM, so each target has its own class; the suite runs every class in fuzzing mode for a
 * few seconds ({@code fuzz} execution in server/pom.xml), {@code scripts/fuzz.sh} for longer. Inputs that broke a
 * target are kept under src/test/resources and replayed in every run.
 */
class ChannelProtocolFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void channelMessagesDecodeOrEndTheSession(FuzzedDataProvider data) {
        String protocol = data.pickValue(List.of("v5.channel.k8s.io", "v4.channel.k8s.io", "channel.k8s.io",
                "base64.channel.k8s.io", "v4.base64.channel.k8s.io"));
        WebSocketChannelFraming framing = new WebSocketChannelFraming(protocol, new CountingEvents(), 64 * 1024);
        boolean fromClient = data.consumeBoolean();
        try {
            while (data.remainingBytes() > 0) {
                Buffer chunk = Buffer.buffer(data.consumeBytes(1 + data.consumeInt(0, 300)));
                if (fromClient) {
                    framing.fromClient(chunk, b -> { });
                } else {
                    framing.fromCluster(chunk, b -> { }, b -> { });
                }
            }
        } catch (FrameException refused) {
            // the session ends with this message
        }
    }
}
