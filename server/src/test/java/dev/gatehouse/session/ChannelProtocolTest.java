package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The Kubernetes channel protocols: which channel a message is on, for each subprotocol kubectl and others speak. */
class ChannelProtocolTest {
    private final List<String> seen = new ArrayList<>();
    private final SessionEvents events = new CountingEvents() {
        @Override
        public void stdin(byte[] data) {
            seen.add("stdin " + new String(data, StandardCharsets.UTF_8));
        }

        @Override
        public void stdout(byte[] data) {
            seen.add("stdout " + new String(data, StandardCharsets.UTF_8));
        }

        @Override
        public void stderr(byte[] data) {
            seen.add("stderr " + new String(data, StandardCharsets.UTF_8));
        }

        @Override
        public void status(byte[] data) {
            seen.add("status " + new String(data, StandardCharsets.UTF_8));
        }

        @Override
        public void resize(int width, int height) {
            seen.add("resize " + width + "x" + height);
        }
    };

    private static byte[] binary(int channel, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[data.length + 1];
        message[0] = (byte) channel;
        System.arraycopy(data, 0, message, 1, data.length);
        return message;
    }

    @Test
    void binaryProtocolsNameTheChannelInTheFirstByte() {
        for (String protocol : List.of("v5.channel.k8s.io", "v4.channel.k8s.io", "channel.k8s.io")) {
            ChannelProtocol channels = new ChannelProtocol(protocol);
            channels.message(true, WebSocketFrames.BINARY, binary(0, "ls\n"), events);
            channels.message(false, WebSocketFrames.BINARY, binary(1, "out"), events);
            channels.message(false, WebSocketFrames.BINARY, binary(2, "err"), events);
            channels.message(false, WebSocketFrames.BINARY, binary(3, "{}"), events);
            channels.message(true, WebSocketFrames.BINARY, binary(4, "{\"Width\":120,\"Height\":40}{\"Width\":80,"
                    + "\"Height\":24}"), events);
        }
        assertThat(seen).hasSize(18).startsWith("stdin ls\n", "stdout out", "stderr err", "status {}",
                "resize 120x40", "resize 80x24");
    }

    @Test
    void base64ProtocolsSendTextWithTheChannelDigit() {
        for (String protocol : List.of("v4.base64.channel.k8s.io", "base64.channel.k8s.io")) {
            ChannelProtocol channels = new ChannelProtocol(protocol);
            channels.message(false, WebSocketFrames.TEXT, "1aGkK".getBytes(StandardCharsets.US_ASCII), events);
            channels.message(true, WebSocketFrames.TEXT, "0bHMK".getBytes(StandardCharsets.US_ASCII), events);
            assertThat(new String(channels.errorMessage("{}".getBytes(StandardCharsets.UTF_8)),
                    StandardCharsets.US_ASCII)).isEqualTo("3e30=");
            assertThatThrownBy(() -> channels.message(false, WebSocketFrames.BINARY, binary(1, "x"), events))
                    .isInstanceOf(FrameException.class);
            assertThatThrownBy(() -> channels.message(false, WebSocketFrames.TEXT, "1***".getBytes(
                    StandardCharsets.US_ASCII), events)).isInstanceOf(FrameException.class);
        }
        assertThat(seen).containsExactly("stdout hi\n", "stdin ls\n", "stdout hi\n", "stdin ls\n");
    }

    @Test
    void v5ClosesAChannelWithoutData() {
        new ChannelProtocol("v5.channel.k8s.io").message(true, WebSocketFrames.BINARY, new byte[] {(byte) 255, 0},
                events);
        assertThat(seen).isEmpty();
    }

    @Test
    void eachSideWritesOnlyItsOwnChannels() {
        ChannelProtocol channels = new ChannelProtocol("v5.channel.k8s.io");
        assertThatThrownBy(() -> channels.message(false, WebSocketFrames.BINARY, binary(0, "x"), events))
                .hasMessageContaining("stdin");
        assertThatThrownBy(() -> channels.message(true, WebSocketFrames.BINARY, binary(1, "x"), events))
                .hasMessageContaining("stdout");
        assertThatThrownBy(() -> channels.message(true, WebSocketFrames.BINARY, binary(3, "x"), events))
                .hasMessageContaining("error");
        assertThatThrownBy(() -> channels.message(true, WebSocketFrames.BINARY, binary(9, "x"), events))
                .hasMessageContaining("unknown channel 9");
        assertThatThrownBy(() -> channels.message(true, WebSocketFrames.BINARY, binary(4, "not json"), events))
                .hasMessageContaining("resize");
        assertThatThrownBy(() -> new ChannelProtocol("v6.channel.k8s.io")).isInstanceOf(FrameException.class);
    }
}
