package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatehouse.status.GatewayException;
import dev.gatehouse.status.KubeStatus;

/**
 * WebSocket exec sessions held for review, between a stand-in kubectl and a stand-in cluster
 * ({@link HeldSessionHarness}): accepted by the gateway itself, the notice on stderr before anything else, nothing
 * sent to the cluster until the review releases the session, then the client's buffered frames replayed and the
 * session relayed and recorded as any other; and every way it ends before that, each with one completed event.
 */
class PendingSessionTest {
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final byte[] MASK = {7, 1, 2, 9};

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

    static String execHead(String query, String protocols) {
        return "GET /api/v1/namespaces/ns/pods/web-0/exec?command=sh&stdin=true&stdout=true" + query + " HTTP/1.1\r\n"
                + "Host: gatehouse\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Protocol: " + protocols + "\r\n\r\n";
    }

    static byte[] message(int channel, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[data.length + 1];
        message[0] = (byte) channel;
        System.arraycopy(data, 0, message, 1, data.length);
        return message;
    }

    static byte[] fromClient(int channel, String text) {
        return WebSocketFrames.clientFrame(WebSocketFrames.BINARY, message(channel, text), MASK).getBytes();
    }

    static byte[] fromCluster(int channel, String text) {
        return WebSocketFrames.serverFrame(WebSocketFrames.BINARY, message(channel, text)).getBytes();
    }

    /** A server frame read off the stand-in kubectl's socket: opcode and payload. */
    record Frame(int opcode, byte[] payload) {
        String text(int from) {
            return new String(payload, from, payload.length - from, StandardCharsets.UTF_8);
        }
    }

    static Frame nextFrame(InputStream in) throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            throw new IOException("the gateway closed the connection");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = ((in.read() & 0xFF) << 8) | (in.read() & 0xFF);
        } else if (length == 127) {
            length = java.nio.ByteBuffer.wrap(in.readNBytes(8)).getLong();
        }
        return new Frame(b0 & 0x0F, in.readNBytes((int) length));
    }

    private HeldSessionHarness.Client acceptedExec(String query) throws IOException {
        HeldSessionHarness.Client kubectl = harness.connect(execHead(query, "v4.channel.k8s.io, v5.channel.k8s.io"));
        assertThat(kubectl.head()).startsWith("HTTP/1.1 101")
                .containsIgnoringCase("sec-websocket-protocol: v5.channel.k8s.io")
                .containsIgnoringCase("sec-websocket-accept: " + SessionBridge.accept(KEY));
        return kubectl;
    }

    private void assertNothingReachedTheCluster() throws InterruptedException {
        Thread.sleep(200);
        assertThat(harness.clusterConnects.get()).isZero();
    }

    @Test
    void holdsAWebSocketExecUntilApprovedThenReplaysItsInputAndKeepsTheExitCode() throws Exception {
        try (HeldSessionHarness.Client kubectl = acceptedExec("&stderr=true")) {
            Frame notice = nextFrame(kubectl.socket().getInputStream());
            assertThat(notice.payload()[0]).isEqualTo((byte) 2); // stderr, before any output
            assertThat(notice.text(1)).isEqualTo(harness.approval.notice());
            byte[] stdin = fromClient(0, "ls\n");
            byte[] resize = fromClient(4, "{\"Width\":100,\"Height\":40}");
            kubectl.write(stdin);
            kubectl.write(resize);
            assertNothingReachedTheCluster();

            harness.approval.decision.complete();
            HeldSessionHarness.ClusterConnection cluster = harness.connections.poll(10, TimeUnit.SECONDS);
            assertThat(cluster).isNotNull();
            assertThat(HeldSessionHarness.header(cluster.head, "Sec-WebSocket-Protocol")).isEqualTo("v5.channel.k8s.io");
            assertThat(HeldSessionHarness.header(cluster.head, "Impersonate-User")).isEqualTo("alice");
            assertThat(cluster.read(stdin.length + resize.length)).isEqualTo(concat(stdin, resize));

            byte[] more = fromClient(0, "exit 7\n");
            kubectl.write(more);
            assertThat(cluster.read(more.length)).isEqualTo(more);
            byte[] stdout = fromCluster(1, "hi\n");
            byte[] status = fromCluster(3, "{\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\",\"details\":"
                    + "{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"7\"}]}}");
            byte[] close = WebSocketFrames.serverFrame(WebSocketFrames.CLOSE, new byte[] {0x03, (byte) 0xE8}).getBytes();
            cluster.write(concat(stdout, concat(status, close)));
            assertThat(kubectl.readToEnd(5_000)).isEqualTo(concat(stdout, concat(status, close)));
        }
        HeldSessionHarness.MemoryEvidence.Event end = harness.evidence.completed.poll(10, TimeUnit.SECONDS);
        assertThat(end.code()).isEqualTo(101);
        assertThat(end.details()).containsEntry("exitCode", "7").containsEntry("reviewId", "rev-42");
        assertThat(harness.evidence.events.get(0).details()).containsEntry("reviewId", "rev-42")
                .containsEntry("protocol", "v5.channel.k8s.io");
        assertThat(harness.evidence.completedCount()).isEqualTo(1);
        SessionSummary summary = harness.store.list().get(0);
        assertThat(summary.stdinBytes()).isEqualTo(3 + 7);
        assertThat(summary.exitCode()).isEqualTo(7);
        assertThat(Files.readString(dir.resolve("sessions").resolve(summary.id() + ".raw"),
                StandardCharsets.ISO_8859_1)).contains("held for review rev-42")
                .contains("review rev-42 released the session");
        assertThat(harness.approval.abandoned.get()).isZero();
    }

    @Test
    void aTerminalSessionGetsTheNoticeOnStdoutWithCarriageReturns() throws Exception {
        try (HeldSessionHarness.Client kubectl = acceptedExec("&tty=true")) {
            Frame notice = nextFrame(kubectl.socket().getInputStream());
            assertThat(notice.payload()[0]).isEqualTo((byte) 1); // a terminal has no stderr
            assertThat(notice.text(1)).isEqualTo(harness.approval.notice().replace("\n", "\r\n")).endsWith("\r\n");
        }
    }

    @Test
    void answersThePingsOfAWaitingClient() throws Exception {
        try (HeldSessionHarness.Client kubectl = acceptedExec("&stderr=true")) {
            nextFrame(kubectl.socket().getInputStream());
            kubectl.write(WebSocketFrames.clientFrame(WebSocketFrames.PING, "beat".getBytes(StandardCharsets.UTF_8),
                    MASK).getBytes());
            Frame pong = nextFrame(kubectl.socket().getInputStream());
            assertThat(pong.opcode()).isEqualTo(WebSocketFrames.PONG);
            assertThat(pong.text(0)).isEqualTo("beat");
        }
    }

    @Test
    void aDeniedReviewEndsTheSessionWithItsStatusAndNothingReachesTheCluster() throws Exception {
        try (HeldSessionHarness.Client kubectl = acceptedExec("&stderr=true")) {
            nextFrame(kubectl.socket().getInputStream());
            kubectl.write(fromClient(0, "rm -rf /data\n"));
            harness.approval.decision.fail(new GatewayException(KubeStatus.of(403,
                    "review rev-42 was denied by bob: not during the freeze")));
            assertEndedWith(kubectl, 403, "denied by bob: not during the freeze");
        }
        assertNothingReachedTheCluster();
        HeldSessionHarness.MemoryEvidence.Event end = harness.evidence.completed.poll(10, TimeUnit.SECONDS);
        assertThat(end.code()).isEqualTo(403);
        assertThat(end.note()).contains("denied by bob");
        assertThat(harness.evidence.completedCount()).isEqualTo(1);
    }

    @Test
    void aClientThatLeavesWhileWaitingAbandonsTheReviewAndLeavesOneCompletedEvent() throws Exception {
        try (HeldSessionHarness.Client kubectl = acceptedExec("&stderr=true")) {
            nextFrame(kubectl.socket().getInputStream());
            kubectl.write(fromClient(0, "typed ahead\n"));
        }
        HeldSessionHarness.MemoryEvidence.Event end = harness.evidence.completed.poll(10, TimeUnit.SECONDS);
        assertThat(end).isNotNull();
        assertThat(end.note()).contains("the client closed the session while it waited for review rev-42");
        assertThat(harness.approval.abandoned.get()).isEqualTo(1);
        harness.approval.decision.complete(); // approved too late: nobody is there
        assertNothingReachedTheCluster();
        assertThat(harness.evidence.completedCount()).isEqualTo(1);
    }

    @Test
    void inputPastTheBoundEndsTheWaitingSession() throws Exception {
        try (HeldSessionHarness.Client kubectl = acceptedExec("&stderr=true")) {
            nextFrame(kubectl.socket().getInputStream());
            byte[] chunk = fromClient(0, "x".repeat(60_000));
            try {
                for (int i = 0; i < 20; i++) {
                    kubectl.write(chunk);
                }
            } catch (IOException closedByTheGateway) {
                // the gateway may close before the last chunks are written
            }
            assertEndedWith(kubectl, 413, "more than 1048576 bytes");
        }
        assertNothingReachedTheCluster();
        assertThat(harness.evidence.completed.poll(10, TimeUnit.SECONDS).code()).isEqualTo(413);
        assertThat(harness.approval.abandoned.get()).isEqualTo(1);
    }

    static List<byte[]> undecodable() {
        return List.of(
                new byte[] {(byte) 0x82, 0x01, 0x00}, // unmasked from the client
                WebSocketFrames.clientFrame(WebSocketFrames.TEXT, "0aGk=".getBytes(StandardCharsets.US_ASCII), MASK)
                        .getBytes(), // text on a binary channel protocol
                fromClient(1, "forged stdout"), // the client writing on the stdout channel
                fromClient(9, "unknown channel"),
                WebSocketFrames.clientFrame(3, new byte[] {0}, MASK).getBytes()); // a reserved opcode
    }

    @ParameterizedTest
    @MethodSource("undecodable")
    void aClientSendingWhatCannotBeDecodedWhileWaitingEndsTheSessionAndNothingGoesUpstream(byte[] hostile)
            throws Exception {
        try (HeldSessionHarness.Client kubectl = acceptedExec("&stderr=true")) {
            nextFrame(kubectl.socket().getInputStream());
            kubectl.write(hostile);
            assertEndedWith(kubectl, 400, "cannot record");
        }
        harness.approval.decision.complete();
        assertNothingReachedTheCluster();
        assertThat(harness.evidence.completed.poll(10, TimeUnit.SECONDS).code()).isEqualTo(400);
        assertThat(harness.evidence.completedCount()).isEqualTo(1);
    }

    @Test
    void aClusterThatRefusesTheApprovedSessionEndsItWithAStatusNamingTheRefusal() throws Exception {
        harness.answer = head -> "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\n"
                + "forbidden";
        try (HeldSessionHarness.Client kubectl = acceptedExec("&stderr=true")) {
            nextFrame(kubectl.socket().getInputStream());
            harness.approval.decision.complete();
            assertEndedWith(kubectl, 403, "refused it with HTTP 403: forbidden");
        }
        assertThat(harness.evidence.completed.poll(10, TimeUnit.SECONDS).code()).isEqualTo(403);
    }

    @Test
    void aClusterThatSwitchesToAnotherSubprotocolIsNeverSpliced() throws Exception {
        harness.answer = head -> HeldSessionHarness.switchAsAsked(head)
                .replace("v5.channel.k8s.io", "v4.channel.k8s.io");
        try (HeldSessionHarness.Client kubectl = acceptedExec("&stderr=true")) {
            nextFrame(kubectl.socket().getInputStream());
            kubectl.write(fromClient(0, "id\n"));
            harness.approval.decision.complete();
            assertEndedWith(kubectl, 502, "not one of [v5.channel.k8s.io]");
        }
        HeldSessionHarness.ClusterConnection cluster = harness.connections.poll(10, TimeUnit.SECONDS);
        assertThat(cluster.read(1)).isEmpty(); // the buffered input never went to it
    }

    @Test
    void aReviewNotDecidedWithinTheGatewaysBoundEndsTheWait() throws Exception {
        harness.close();
        harness = new HeldSessionHarness(dir.resolve("bounded"), new SessionBridge.HoldSettings(1024,
                java.time.Duration.ofMillis(500)));
        try (HeldSessionHarness.Client kubectl = acceptedExec("&stderr=true")) {
            nextFrame(kubectl.socket().getInputStream());
            assertEndedWith(kubectl, 504, "was not decided within PT0.5S");
        }
        assertThat(harness.approval.abandoned.get()).isEqualTo(1);
        harness.approval.decision.complete(); // too late
        assertNothingReachedTheCluster();
        assertThat(harness.evidence.completed.poll(10, TimeUnit.SECONDS).code()).isEqualTo(504);
    }

    @Test
    void aCredentialThatExpiresWhileWaitingEndsTheWait() throws Exception {
        harness.credentialExpires = java.time.Instant.now().plusMillis(700);
        try (HeldSessionHarness.Client kubectl = acceptedExec("&stderr=true")) {
            nextFrame(kubectl.socket().getInputStream());
            assertEndedWith(kubectl, 401, "expired while it waited for review rev-42");
        }
        assertNothingReachedTheCluster();
    }

    @Test
    void theBase64ChannelProtocolGetsItsNoticeAsText() throws Exception {
        try (HeldSessionHarness.Client kubectl = harness.connect(execHead("&stderr=true",
                "base64.channel.k8s.io, v4.base64.channel.k8s.io"))) {
            assertThat(kubectl.head()).containsIgnoringCase("sec-websocket-protocol: v4.base64.channel.k8s.io");
            Frame notice = nextFrame(kubectl.socket().getInputStream());
            assertThat(notice.opcode()).isEqualTo(WebSocketFrames.TEXT);
            assertThat(notice.text(0)).isEqualTo("2" + java.util.Base64.getEncoder().encodeToString(
                    harness.approval.notice().getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The error channel's Status (kubectl prints its message and exits non-zero), then a clean close. */
    private static void assertEndedWith(HeldSessionHarness.Client kubectl, int code, String message)
            throws IOException {
        List<WebSocketFrames.Frame> frames = new java.util.ArrayList<>();
        new WebSocketFrames(false, 1 << 20).feed(io.vertx.core.buffer.Buffer.buffer(kubectl.readToEnd(5_000)),
                frames::add);
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0).payload()[0]).isEqualTo((byte) 3);
        assertThat(new String(frames.get(0).payload(), 1, frames.get(0).payload().length - 1, StandardCharsets.UTF_8))
                .contains("\"kind\":\"Status\"").contains("\"code\":" + code).contains(message);
        assertThat(frames.get(1).opcode()).isEqualTo(WebSocketFrames.CLOSE);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
