package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.status.GatewayException;
import dev.gatehouse.status.KubeStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * SPDY/3.1 sessions held for review (exec over SPDY, port-forward over SPDY and over WebSocket): the gateway answers
 * the streams kubectl opens while it waits, the notice goes on stderr, and once released the client's SYN_STREAMs
 * are replayed to the cluster with their ids and headers and the cluster's SYN_REPLYs never reach the client, whose
 * header decompressor follows the gateway's.
 */
class PendingSpdySessionTest {
    @TempDir
    Path dir;
    HeldSessionHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = new HeldSessionHarness(dir);
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    /** One end of a SPDY/3.1 connection: Netty's codec, a zlib context per direction. */
    static final class Spdy implements AutoCloseable {
        final EmbeddedChannel codec = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
        final List<Object> decoded = new ArrayList<>();

        byte[] encode(Object... frames) {
            for (Object frame : frames) {
                codec.writeOutbound(frame);
            }
            io.vertx.core.buffer.Buffer out = io.vertx.core.buffer.Buffer.buffer();
            ByteBuf bytes;
            while ((bytes = codec.readOutbound()) != null) {
                byte[] copy = new byte[bytes.readableBytes()];
                bytes.readBytes(copy);
                bytes.release();
                out.appendBytes(copy);
            }
            return out.getBytes();
        }

        void decode(byte[] bytes) {
            codec.writeInbound(Unpooled.wrappedBuffer(bytes));
            codec.checkException();
            Object frame;
            while ((frame = codec.readInbound()) != null) {
                decoded.add(frame);
            }
        }

        /** Reads from the socket until {@code n} frames were decoded (or the connection ends). */
        List<Object> frames(HeldSessionHarness.Client client, int n) throws IOException {
            byte[] buffer = new byte[8192];
            while (decoded.size() < n) {
                int read = client.socket().getInputStream().read(buffer);
                if (read < 0) {
                    break;
                }
                decode(java.util.Arrays.copyOf(buffer, read));
            }
            return decoded;
        }

        @Override
        public void close() {
            decoded.forEach(ReferenceCountUtil::release);
            codec.finishAndReleaseAll();
        }
    }

    static SpdySynStreamFrame syn(int id, String type) {
        SpdySynStreamFrame frame = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
        frame.headers().set("streamtype", type);
        return frame;
    }

    static SpdySynStreamFrame forwardSyn(int id, String type, String requestId) {
        SpdySynStreamFrame frame = syn(id, type);
        frame.headers().set("port", "8080").set("requestid", requestId);
        return frame;
    }

    /** A kubelet's SYN_REPLY: Go's SPDY library never sends an empty header block (Netty would call it invalid). */
    static SpdySynReplyFrame reply(int id) {
        SpdySynReplyFrame frame = new DefaultSpdySynReplyFrame(id);
        frame.headers().set("date", "Mon, 07 Dec 2026 18:00:00 GMT");
        return frame;
    }

    static DefaultSpdyDataFrame data(int id, String text, boolean last) {
        DefaultSpdyDataFrame frame = new DefaultSpdyDataFrame(id,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        frame.setLast(last);
        return frame;
    }

    static String text(Object frame) {
        return ((SpdyDataFrame) frame).content().toString(StandardCharsets.UTF_8);
    }

    static String spdyHead(String subresource, String query, String... protocols) {
        StringBuilder head = new StringBuilder("POST /api/v1/namespaces/ns/pods/web-0/" + subresource + query
                + " HTTP/1.1\r\nHost: gatehouse\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n");
        for (String protocol : protocols) {
            head.append("X-Stream-Protocol-Version: ").append(protocol).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /** kubectl 1.32's SPDY exec: v5 … channel.k8s.io offered, streams error, stdin, stdout, stderr. */
    private HeldSessionHarness.Client heldSpdyExec(Spdy kubectl) throws Exception {
        HeldSessionHarness.Client client = harness.connect(spdyHead("exec",
                "?command=sh&stdin=true&stdout=true&stderr=true", "v5.channel.k8s.io", "v4.channel.k8s.io",
                "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"));
        assertThat(client.head()).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: SPDY/3.1")
                .containsIgnoringCase("x-stream-protocol-version: v4.channel.k8s.io");
        client.write(kubectl.encode(syn(1, "error"), syn(3, "stdin"), syn(5, "stdout"), syn(7, "stderr")));
        List<Object> answers = kubectl.frames(client, 5);
        assertThat(answers.subList(0, 4)).allMatch(f -> f instanceof SpdySynReplyFrame)
                .extracting(f -> ((SpdySynReplyFrame) f).streamId()).containsExactly(1, 3, 5, 7);
        assertThat(((SpdyDataFrame) answers.get(4)).streamId()).isEqualTo(7); // stderr
        assertThat(text(answers.get(4))).isEqualTo(harness.approval.notice());
        return client;
    }

    @Test
    void holdsASpdyExecAndReplaysItsStreamsToTheClusterOnceApproved() throws Exception {
        try (Spdy kubectl = new Spdy(); Spdy kubelet = new Spdy()) {
            HeldSessionHarness.Client client = heldSpdyExec(kubectl);
            client.write(kubectl.encode(data(3, "ls\n", false), new DefaultSpdyPingFrame(1)));
            List<Object> pong = kubectl.frames(client, 6);
            assertThat(pong.get(5)).isInstanceOf(SpdyPingFrame.class);
            Thread.sleep(200);
            assertThat(harness.clusterConnects.get()).isZero();

            harness.approval.decision.complete();
            HeldSessionHarness.ClusterConnection cluster = harness.connections.poll(10, TimeUnit.SECONDS);
            assertThat(cluster.head).contains("X-Stream-Protocol-Version: v4.channel.k8s.io\r\n")
                    .doesNotContain("v5.channel.k8s.io");
            while (kubelet.decoded.size() < 6) {
                kubelet.decode(cluster.read(1));
            }
            assertThat(kubelet.decoded.subList(0, 4)).allMatch(f -> f instanceof SpdySynStreamFrame)
                    .extracting(f -> ((SpdySynStreamFrame) f).streamId() + " "
                            + ((SpdySynStreamFrame) f).headers().get("streamtype"))
                    .containsExactly("1 error", "3 stdin", "5 stdout", "7 stderr");
            assertThat(text(kubelet.decoded.get(4))).isEqualTo("ls\n");

            SpdySynReplyFrame last = reply(7);
            last.setLast(true); // the kubelet's reply may close its side of a stream: the FIN must survive
            cluster.write(kubelet.encode(reply(1), reply(3),
                    reply(5), last, data(5, "hi\n", false),
                    data(1, "{\"metadata\":{},\"status\":\"Success\"}", true)));
            cluster.socket.close();
            kubectl.decode(client.readToEnd(5_000));
            List<Object> after = kubectl.decoded.subList(6, kubectl.decoded.size());
            assertThat(after).noneMatch(f -> f instanceof SpdySynReplyFrame);
            assertThat(after).hasSize(3);
            assertThat(((SpdyDataFrame) after.get(0)).streamId()).isEqualTo(7);
            assertThat(((SpdyDataFrame) after.get(0)).isLast()).isTrue();
            assertThat(text(after.get(1))).isEqualTo("hi\n");
            assertThat(text(after.get(2))).contains("Success");
            client.close();
        }
        HeldSessionHarness.MemoryEvidence.Event end = harness.evidence.completed.poll(10, TimeUnit.SECONDS);
        assertThat(end.code()).isEqualTo(101);
        assertThat(end.details()).containsEntry("exitCode", "0");
        assertThat(harness.store.list().get(0).stdinBytes()).isEqualTo(3);
    }

    @Test
    void aDeniedSpdyExecGetsTheStatusOnItsErrorStream() throws Exception {
        try (Spdy kubectl = new Spdy()) {
            HeldSessionHarness.Client client = heldSpdyExec(kubectl);
            harness.approval.decision.fail(new GatewayException(KubeStatus.of(403, "review rev-42 expired")));
            kubectl.decode(client.readToEnd(5_000));
            SpdyDataFrame status = (SpdyDataFrame) kubectl.decoded.get(5);
            assertThat(status.streamId()).isEqualTo(1);
            assertThat(status.isLast()).isTrue();
            assertThat(text(status)).contains("\"code\":403").contains("review rev-42 expired");
            client.close();
        }
        assertThat(harness.evidence.completed.poll(10, TimeUnit.SECONDS).code()).isEqualTo(403);
        assertThat(harness.clusterConnects.get()).isZero();
    }

    @Test
    void aSpdyFrameThatCannotBeDecodedWhileWaitingEndsTheSession() throws Exception {
        try (Spdy kubectl = new Spdy()) {
            HeldSessionHarness.Client client = heldSpdyExec(kubectl);
            client.write(new byte[] {(byte) 0x80, 0x02, 0x00, 0x01, 0, 0, 0, 0}); // a SPDY/2 control frame
            kubectl.decode(client.readToEnd(5_000));
            assertThat(text(kubectl.decoded.get(5))).contains("\"code\":400").contains("version 2");
            client.close();
        }
        harness.approval.decision.complete();
        Thread.sleep(200);
        assertThat(harness.clusterConnects.get()).isZero();
        assertThat(harness.evidence.completedCount()).isEqualTo(1);
    }

    @Test
    void aSpdyPortForwardOpenedWhileWaitingAndAfterTheSpliceGetsOneReplyPerStream() throws Exception {
        try (Spdy kubectl = new Spdy(); Spdy kubelet = new Spdy()) {
            HeldSessionHarness.Client client = harness.connect(spdyHead("portforward", "?ports=8080",
                    "portforward.k8s.io"));
            assertThat(client.head()).startsWith("HTTP/1.1 101")
                    .containsIgnoringCase("x-stream-protocol-version: portforward.k8s.io");
            client.write(kubectl.encode(forwardSyn(1, "error", "0"), forwardSyn(3, "data", "0"),
                    data(3, "GET / HTTP/1.0\r\n\r\n", false)));
            assertThat(kubectl.frames(client, 2)).allMatch(f -> f instanceof SpdySynReplyFrame);

            harness.approval.decision.complete();
            HeldSessionHarness.ClusterConnection cluster = harness.connections.poll(10, TimeUnit.SECONDS);
            while (kubelet.decoded.size() < 3) {
                kubelet.decode(cluster.read(1));
            }
            assertThat(text(kubelet.decoded.get(2))).isEqualTo("GET / HTTP/1.0\r\n\r\n");
            cluster.write(kubelet.encode(reply(1), reply(3),
                    data(3, "HTTP/1.0 200 OK\r\n\r\n", false)));
            // a second local connection after the splice: the cluster's reply reaches the client re-encoded
            client.write(kubectl.encode(forwardSyn(5, "error", "1"), forwardSyn(7, "data", "1")));
            while (kubelet.decoded.size() < 5) {
                kubelet.decode(cluster.read(1));
            }
            cluster.write(kubelet.encode(reply(5), reply(7)));
            List<Object> frames = kubectl.frames(client, 5);
            assertThat(text(frames.get(2))).isEqualTo("HTTP/1.0 200 OK\r\n\r\n");
            assertThat(frames.subList(3, 5)).allMatch(f -> f instanceof SpdySynReplyFrame)
                    .extracting(f -> ((SpdySynReplyFrame) f).streamId()).containsExactly(5, 7);
            client.close();
        }
        assertThat(harness.evidence.completed.poll(10, TimeUnit.SECONDS).code()).isEqualTo(101);
    }

    /** SPDY frames carried in the server's WebSocket messages, decoded by {@code spdy}. */
    static List<Object> tunnelled(Spdy spdy, HeldSessionHarness.Client client, int n) throws IOException {
        while (spdy.decoded.size() < n) {
            PendingSessionTest.Frame message = PendingSessionTest.nextFrame(client.socket().getInputStream());
            assertThat(message.opcode()).isEqualTo(WebSocketFrames.BINARY);
            spdy.decode(message.payload());
        }
        return spdy.decoded;
    }

    static byte[] tunnel(byte[] spdy) {
        return WebSocketFrames.clientFrame(WebSocketFrames.BINARY, spdy, PendingSessionTest.MASK).getBytes();
    }

    @Test
    void aWebSocketPortForwardIsAnsweredInItsTunnelWhileWaitingThenReplayed() throws Exception {
        try (Spdy kubectl = new Spdy(); Spdy kubelet = new Spdy()) {
            HeldSessionHarness.Client client = harness.connect("GET /api/v1/namespaces/ns/pods/web-0/portforward"
                    + "?ports=8080 HTTP/1.1\r\nHost: gatehouse\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + PendingSessionTest.KEY + "\r\n"
                    + "Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io\r\n\r\n");
            assertThat(client.head()).startsWith("HTTP/1.1 101")
                    .containsIgnoringCase("sec-websocket-protocol: SPDY/3.1+portforward.k8s.io");
            assertThat(client.readToEnd(300)).isEmpty(); // port-forward has no stderr: nothing to print
            client.socket().setSoTimeout(10_000);
            byte[] opened = tunnel(kubectl.encode(forwardSyn(1, "error", "0"), forwardSyn(3, "data", "0")));
            byte[] request = tunnel(kubectl.encode(data(3, "ping?", false)));
            client.write(opened);
            client.write(request);
            assertThat(tunnelled(kubectl, client, 2)).allMatch(f -> f instanceof SpdySynReplyFrame)
                    .extracting(f -> ((SpdySynReplyFrame) f).streamId()).containsExactly(1, 3);
            assertThat(harness.clusterConnects.get()).isZero();

            harness.approval.decision.complete();
            HeldSessionHarness.ClusterConnection cluster = harness.connections.poll(10, TimeUnit.SECONDS);
            assertThat(HeldSessionHarness.header(cluster.head, "Sec-WebSocket-Protocol"))
                    .isEqualTo("SPDY/3.1+portforward.k8s.io");
            assertThat(cluster.read(opened.length + request.length)).isEqualTo(PendingSessionTest.concat(opened,
                    request));
            cluster.write(WebSocketFrames.serverFrame(WebSocketFrames.BINARY, kubelet.encode(reply(1), reply(3),
                    data(3, "pong!", false))).getBytes());
            assertThat(text(tunnelled(kubectl, client, 3).get(2))).isEqualTo("pong!"); // its SYN_REPLYs swallowed
            // a connection made after the splice: the cluster's replies reach the client re-encoded
            client.write(tunnel(kubectl.encode(forwardSyn(5, "error", "1"), forwardSyn(7, "data", "1"))));
            cluster.write(WebSocketFrames.serverFrame(WebSocketFrames.BINARY, kubelet.encode(reply(5), reply(7)))
                    .getBytes());
            assertThat(tunnelled(kubectl, client, 5).subList(3, 5)).allMatch(f -> f instanceof SpdySynReplyFrame)
                    .extracting(f -> ((SpdySynReplyFrame) f).streamId()).containsExactly(5, 7);
            client.close();
        }
        assertThat(harness.evidence.completed.poll(10, TimeUnit.SECONDS).code()).isEqualTo(101);
        assertThat(harness.evidence.completedCount()).isEqualTo(1);
    }

    @Test
    void aTerminalSpdyExecGetsTheNoticeOnStdout() throws Exception {
        try (Spdy kubectl = new Spdy()) {
            HeldSessionHarness.Client client = harness.connect(spdyHead("exec",
                    "?command=sh&stdin=true&stdout=true&tty=true", "v5.channel.k8s.io", "v4.channel.k8s.io"));
            client.write(kubectl.encode(syn(1, "error"), syn(3, "stdin"), syn(5, "stdout"), syn(7, "resize")));
            List<Object> answers = kubectl.frames(client, 5);
            SpdyDataFrame notice = (SpdyDataFrame) answers.stream().filter(f -> f instanceof SpdyDataFrame)
                    .findFirst().orElseThrow();
            assertThat(notice.streamId()).isEqualTo(5);
            assertThat(text(notice)).isEqualTo(harness.approval.notice().replace("\n", "\r\n"));
            client.close();
        }
    }
}
