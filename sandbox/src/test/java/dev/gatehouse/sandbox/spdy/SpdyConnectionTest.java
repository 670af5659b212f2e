package dev.gatehouse.sandbox.spdy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdySessionStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.vertx.core.buffer.Buffer;

class SpdyConnectionTest {
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final List<String> events = new ArrayList<>();
    private final SpdyClient client = new SpdyClient();
    private boolean transportClosed;
    private final SpdyConnection connection = new SpdyConnection(b -> wire.writeBytes(b.getBytes()),
            () -> transportClosed = true);

    SpdyConnectionTest() {
        connection.listen(new SpdyConnection.Listener() {
            @Override
            public void opened(int streamId, Map<String, String> headers) {
                events.add("opened " + streamId + " " + new TreeMap<>(headers));
                connection.reply(streamId, Map.of("streamtype", headers.get("streamtype")));
            }

            @Override
            public void data(int streamId, byte[] data) {
                events.add("data " + streamId + " " + new String(data, StandardCharsets.UTF_8));
            }

            @Override
            public void halfClosed(int streamId) {
                events.add("fin " + streamId);
            }

            @Override
            public void reset(int streamId) {
                events.add("reset " + streamId);
            }

            @Override
            public void closed() {
                events.add("closed");
            }
        });
    }

    private List<Object> written() {
        List<Object> frames = client.decode(wire.toByteArray());
        wire.reset();
        return frames;
    }

    @Test
    void reportsStreamsAndRepliesWithANonEmptyHeaderBlock() {
        connection.receive(Buffer.buffer(client.open(1, Map.of("streamtype", "stdin", "x-other", "v"))));
        connection.receive(Buffer.buffer(client.data(1, "abc".getBytes(StandardCharsets.UTF_8), true)));
        assertThat(events).containsExactly("opened 1 {streamtype=stdin, x-other=v}", "data 1 abc", "fin 1");
        assertThat(written()).singleElement().isInstanceOfSatisfying(SpdySynReplyFrame.class, reply -> {
            assertThat(reply.streamId()).isEqualTo(1);
            assertThat(reply.headers().getAsString("streamtype")).isEqualTo("stdin");
        });
    }

    @Test
    void writesDataAndHalfCloses() {
        connection.receive(Buffer.buffer(client.open(3, Map.of("streamtype", "stdout"))));
        written();
        connection.write(3, "out".getBytes(StandardCharsets.UTF_8));
        connection.finish(3);
        List<Object> frames = written();
        assertThat(frames).hasSize(2).allSatisfy(f -> assertThat(f).isInstanceOf(SpdyDataFrame.class));
        SpdyDataFrame data = (SpdyDataFrame) frames.get(0);
        assertThat(data.content().toString(StandardCharsets.UTF_8)).isEqualTo("out");
        assertThat(data.isLast()).isFalse();
        assertThat(((SpdyDataFrame) frames.get(1)).isLast()).isTrue();
    }

    @Test
    void brokenFramesEndTheConnectionWithAProtocolError() {
        byte[] garbage = {(byte) 0x80, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 1, 2, 3, 4};
        connection.receive(Buffer.buffer(garbage));
        assertThat(written()).singleElement().isInstanceOfSatisfying(SpdyGoAwayFrame.class,
                goAway -> assertThat(goAway.status()).isEqualTo(SpdySessionStatus.PROTOCOL_ERROR));
        assertThat(transportClosed).isTrue();
        assertThat(events).containsExactly("closed");
        assertThat(connection.isClosed()).isTrue();
        connection.receive(Buffer.buffer(client.open(1, Map.of("streamtype", "stdin"))));
        assertThat(events).containsExactly("closed");
    }
}
