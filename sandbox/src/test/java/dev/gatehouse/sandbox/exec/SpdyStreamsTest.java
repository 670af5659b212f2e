package dev.gatehouse.sandbox.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdySessionStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.vertx.core.buffer.Buffer;

import dev.gatehouse.sandbox.spdy.SpdyClient;
import dev.gatehouse.sandbox.spdy.SpdyConnection;

class SpdyStreamsTest {
    private static final Map<String, Boolean> STDIN_STDOUT_STDERR = Map.of("stdin", true, "stdout", true,
            "stderr", true, "tty", false);

    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final SpdyClient client = new SpdyClient();
    private boolean transportClosed;
    private int ended;
    private final SpdyConnection connection = new SpdyConnection(b -> wire.writeBytes(b.getBytes()),
            () -> transportClosed = true);

    private void send(byte[] bytes) {
        connection.receive(Buffer.buffer(bytes));
    }

    private List<Object> written() {
        List<Object> frames = client.decode(wire.toByteArray());
        wire.reset();
        return frames;
    }

    private static String text(Object frame) {
        return ((SpdyDataFrame) frame).content().toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsTheCommandOnceEveryStreamIsOpenAndEndsWithTheStatusOnTheErrorStream() {
        new SpdyStreams(connection, "v4.channel.k8s.io", STDIN_STDOUT_STDERR, streams ->
                new ExecSession(streams, List.of("cat"), STDIN_STDOUT_STDERR, "pod-1", Map.of()), () -> ended++);
        send(client.open(1, Map.of("streamtype", "error")));
        send(client.open(3, Map.of("streamtype", "stdin")));
        send(client.data(3, "early ".getBytes(StandardCharsets.UTF_8), false)); // kept until the session starts
        send(client.open(5, Map.of("streamtype", "stdout")));
        assertThat(written()).hasSize(3).allSatisfy(f -> assertThat(f).isInstanceOf(SpdySynReplyFrame.class));
        send(client.open(7, Map.of("streamtype", "stderr")));
        send(client.data(3, "typed\n".getBytes(StandardCharsets.UTF_8), true));
        List<Object> frames = written();
        assertThat(frames.get(0)).isInstanceOf(SpdySynReplyFrame.class);
        assertThat(text(frames.get(1)) + text(frames.get(2))).isEqualTo("early typed\n");
        assertThat(((SpdyDataFrame) frames.get(2)).streamId()).isEqualTo(5);
        assertThat(text(frames.get(3))).isEqualTo("{\"metadata\":{},\"status\":\"Success\"}");
        assertThat(((SpdyDataFrame) frames.get(3)).streamId()).isEqualTo(1);
        assertThat(frames.subList(4, frames.size())).hasSize(4)
                .allSatisfy(f -> assertThat(((SpdyDataFrame) f).isLast()).isTrue());
        assertThat(ended).isOne();
    }

    @Test
    void olderProtocolsGetTheFailureAsTextOnTheErrorStream() {
        Map<String, Boolean> stdout = Map.of("stdout", true);
        new SpdyStreams(connection, "v2.channel.k8s.io", stdout, streams ->
                new ExecSession(streams, List.of("false"), stdout, "pod-1", Map.of()), () -> ended++);
        send(client.open(1, Map.of("streamtype", "error")));
        send(client.open(3, Map.of("streamtype", "stdout")));
        List<Object> frames = written();
        assertThat(text(frames.get(2))).isEqualTo("command terminated with non-zero exit code: error executing "
                + "command [false], exit code 1");
    }

    @Test
    void anUnknownStreamTypeEndsTheConnection() {
        new SpdyStreams(connection, "v4.channel.k8s.io", STDIN_STDOUT_STDERR, streams -> {
            throw new AssertionError("no session without its streams");
        }, () -> ended++);
        send(client.open(1, Map.of("streamtype", "error")));
        send(client.open(3, Map.of("streamtype", "telepathy")));
        List<Object> frames = written();
        assertThat(frames.get(0)).isInstanceOf(SpdySynReplyFrame.class);
        assertThat(frames.get(1)).isInstanceOfSatisfying(SpdyGoAwayFrame.class,
                g -> assertThat(g.status()).isEqualTo(SpdySessionStatus.PROTOCOL_ERROR));
        assertThat(transportClosed).isTrue();
        assertThat(ended).isZero();
    }

    @Test
    void aTerminalWaitsForTheResizeStreamAndMergesStderrIntoStdout() {
        Map<String, Boolean> tty = Map.of("stdin", true, "stdout", true, "stderr", true, "tty", true);
        new SpdyStreams(connection, "v4.channel.k8s.io", tty, streams ->
                new ExecSession(streams, List.of("sh", "-c", "nonexistent"), tty, "pod-1", Map.of()), () -> ended++);
        send(client.open(1, Map.of("streamtype", "error")));
        send(client.open(3, Map.of("streamtype", "stdin")));
        send(client.open(5, Map.of("streamtype", "stdout")));
        assertThat(written()).hasSize(3);
        send(client.open(7, Map.of("streamtype", "resize")));
        List<Object> frames = written();
        assertThat(frames.get(0)).isInstanceOf(SpdySynReplyFrame.class);
        assertThat(((SpdyDataFrame) frames.get(1)).streamId()).isEqualTo(5);
        assertThat(text(frames.get(1))).isEqualTo("sh: nonexistent: not found\r\n");
        assertThat(text(frames.get(2))).contains("\"message\":\"127\"");
    }
}
