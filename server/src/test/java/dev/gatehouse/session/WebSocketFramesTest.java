package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

class WebSocketFramesTest {
    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    @Test
    void decodesTheRfcExamplesFedOneByteAtATime() {
        // RFC 6455 section 5.7: "Hello", unmasked (server) and masked (client)
        List<WebSocketFrames.Frame> frames = new ArrayList<>();
        WebSocketFrames server = new WebSocketFrames(false, 1024);
        byte[] unmasked = {(byte) 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
        for (byte b : unmasked) {
            server.feed(Buffer.buffer(new byte[] {b}), frames::add);
        }
        assertThat(frames).hasSize(1);
        assertThat(new String(frames.get(0).payload(), StandardCharsets.US_ASCII)).isEqualTo("Hello");
        assertThat(frames.get(0).raw().getBytes()).isEqualTo(unmasked);
        assertThat(server.atBoundary()).isTrue();

        WebSocketFrames client = new WebSocketFrames(true, 1024);
        byte[] masked = {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f, 0x4d, 0x51, 0x58};
        frames.clear();
        client.feed(Buffer.buffer(masked), frames::add);
        assertThat(new String(frames.get(0).payload(), StandardCharsets.US_ASCII)).isEqualTo("Hello");
        assertThat(frames.get(0).raw().getBytes()).isEqualTo(masked);
    }

    @Test
    void decodesExtendedLengthsAndSeveralFramesInOneRead() {
        byte[] big = new byte[70_000];
        big[69_999] = 7;
        Buffer both = WebSocketFrames.clientFrame(WebSocketFrames.BINARY, new byte[300], MASK)
                .appendBuffer(WebSocketFrames.clientFrame(WebSocketFrames.BINARY, big, MASK));
        List<WebSocketFrames.Frame> frames = new ArrayList<>();
        WebSocketFrames client = new WebSocketFrames(true, 100_000);
        client.feed(both.getBuffer(0, 1000), frames::add);
        assertThat(frames).hasSize(1);
        assertThat(client.atBoundary()).isFalse();
        client.feed(both.getBuffer(1000, both.length()), frames::add);
        assertThat(frames).hasSize(2);
        assertThat(frames.get(1).payload()).isEqualTo(big);
    }

    @Test
    void followsFragmentedMessagesWithControlFramesBetween() {
        List<WebSocketFrames.Frame> frames = new ArrayList<>();
        WebSocketFrames server = new WebSocketFrames(false, 1024);
        Buffer first = Buffer.buffer().appendByte((byte) 0x02).appendByte((byte) 2).appendBytes(new byte[] {1, 'a'});
        Buffer ping = WebSocketFrames.serverFrame(WebSocketFrames.PING, new byte[0]);
        Buffer last = Buffer.buffer().appendByte((byte) 0x80).appendByte((byte) 1).appendByte((byte) 'b');
        server.feed(first.appendBuffer(ping).appendBuffer(last), frames::add);
        assertThat(frames).extracting(WebSocketFrames.Frame::opcode).containsExactly(2, 9, 0);
        assertThat(frames.get(2).fin()).isTrue();
    }

    @Test
    void refusesWhatCannotBeRecorded() {
        assertRefused(false, new byte[] {(byte) 0xC2, 0x00}, "extension");          // RSV1: permessage-deflate
        assertRefused(false, new byte[] {(byte) 0x83, 0x00}, "opcode");             // reserved opcode 3
        assertRefused(true, new byte[] {(byte) 0x82, 0x00}, "not masked");          // client frame unmasked
        assertRefused(false, new byte[] {(byte) 0x82, (byte) 0x80, 1, 2, 3, 4}, "masked");
        assertRefused(false, new byte[] {(byte) 0x09, 0x00}, "control");            // fragmented ping
        assertRefused(false, new byte[] {(byte) 0x80, 0x00}, "continuation");       // nothing to continue
        assertRefused(false, new byte[] {(byte) 0x82, 126, 0x10, 0x00}, "larger");  // 4096 > 1024
        assertRefused(false, new byte[] {(byte) 0x82, 127, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0}, "negative");
        assertRefused(false, new byte[] {0x02, 0x00, (byte) 0x82, 0x00}, "before the previous");
        // found by WebSocketFramesFuzzTest: a length that fits in fewer bytes, which readers may disagree on
        assertRefused(false, new byte[] {(byte) 0x89, 126, 0, 0}, "minimally");
        assertRefused(false, new byte[] {(byte) 0x82, 127, 0, 0, 0, 0, 0, 0, 0x01, 0x00}, "minimally");
    }

    private static void assertRefused(boolean fromClient, byte[] bytes, String message) {
        WebSocketFrames frames = new WebSocketFrames(fromClient, 1024);
        assertThatThrownBy(() -> frames.feed(Buffer.buffer(bytes), f -> { }))
                .isInstanceOf(FrameException.class).hasMessageContaining(message);
    }

    @Test
    void theWebSocketAcceptMatchesTheRfcExample() {
        assertThat(SessionBridge.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }
}
