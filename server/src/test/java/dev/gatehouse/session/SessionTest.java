package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

/**
 * A live session between two real loopback connections (a stand-in kubectl and a stand-in kubelet speaking
 * {@code v5.channel.k8s.io}): relaying, recording, the held end, and every way the gateway ends a session.
 */
class SessionTest {
    private static final byte[] MASK = {1, 2, 3, 4};

    @TempDir
    Path dir;

    private Vertx vertx;
    private NetServer server;
    private final LinkedBlockingQueue<NetSocket> accepted = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Session.Ending> endings = new LinkedBlockingQueue<>();
    /** Completes the recording of a session's end; tests may hold it back. */
    private CompletableFuture<Void> endRecorded = CompletableFuture.completedFuture(null);
    private final java.util.concurrent.ExecutorService writer = Executors.newSingleThreadExecutor();
    private Socket kubectl;
    private Socket kubelet;
    private Session session;

    @BeforeEach
    void listen() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createNetServer().connectHandler(socket -> {
            socket.pause();
            accepted.add(socket);
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        for (Socket s : new Socket[] {kubectl, kubelet}) {
            if (s != null) {
                s.close();
            }
        }
        writer.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Opens the two connections and starts a session between them. */
    private SessionRecording start(RecordingStore store, Duration max, Duration idle, Instant expires)
            throws Exception {
        return start(store, max, idle, expires, 1 << 20, SessionRecording.LimitAction.END);
    }

    private SessionRecording start(RecordingStore store, Duration max, Duration idle, Instant expires, long maxBytes,
                                   SessionRecording.LimitAction atLimit) throws Exception {
        kubectl = new Socket("127.0.0.1", server.actualPort());
        NetSocket client = accepted.poll(10, TimeUnit.SECONDS);
        kubelet = new Socket("127.0.0.1", server.actualPort());
        NetSocket cluster = accepted.poll(10, TimeUnit.SECONDS);
        kubectl.setSoTimeout(10_000);
        kubelet.setSoTimeout(10_000);
        SessionRecording.About about = new SessionRecording.About(UUID.randomUUID().toString(), "audit-1", "c1",
                "alice", List.of("dev"), "ns", "pod", "box", "exec", List.of("sh"), false, true,
                "websocket/v5.channel.k8s.io", Instant.now());
        Session[] holder = new Session[1];
        SessionRecording recording = new SessionRecording(about, store, writer, maxBytes, atLimit, false,
                new SessionRecording.Listener() {
                    @Override
                    public void pressure(boolean paused) {
                        holder[0].pressure(paused);
                    }

                    @Override
                    public void failed(String reason) {
                        holder[0].recordingFailed(reason);
                    }
                });
        CompletableFuture<Void> started = new CompletableFuture<>();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            holder[0] = new Session(vertx, context, recording, client, cluster,
                    new WebSocketChannelFraming("v5.channel.k8s.io", recording, 1 << 20), ending -> {
                        endings.add(ending);
                        return Future.fromCompletionStage(endRecorded, context);
                    });
            holder[0].start(max, idle, expires, null);
            started.complete(null);
        });
        started.get(10, TimeUnit.SECONDS);
        session = holder[0];
        return recording;
    }

    private static byte[] message(int channel, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[data.length + 1];
        message[0] = (byte) channel;
        System.arraycopy(data, 0, message, 1, data.length);
        return message;
    }

    private static byte[] fromClient(int channel, String text) {
        return WebSocketFrames.clientFrame(WebSocketFrames.BINARY, message(channel, text), MASK).getBytes();
    }

    private static byte[] fromCluster(int channel, String text) {
        return WebSocketFrames.serverFrame(WebSocketFrames.BINARY, message(channel, text)).getBytes();
    }

    private static byte[] read(Socket socket, int n) throws IOException {
        return socket.getInputStream().readNBytes(n);
    }

    /** Everything the socket receives until the peer closes it (or 10 s pass). */
    private static byte[] readToEnd(Socket socket) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // the end as far as this test is concerned
        }
        return all.toByteArray();
    }

    private static List<WebSocketFrames.Frame> serverFrames(byte[] bytes) {
        List<WebSocketFrames.Frame> frames = new java.util.ArrayList<>();
        new WebSocketFrames(false, 1 << 20).feed(Buffer.buffer(bytes), frames::add);
        return frames;
    }

    @Test
    void relaysBothWaysRecordsEveryChannelAndHoldsTheEndUntilItIsRecorded() throws Exception {
        FileRecordingStore store = new FileRecordingStore(dir);
        endRecorded = new CompletableFuture<>();
        SessionRecording recording = start(store, Duration.ofMinutes(1), Duration.ofMinutes(1), null);
        byte[] stdin = fromClient(0, "ls\n");
        kubectl.getOutputStream().write(stdin);
        assertThat(read(kubelet, stdin.length)).isEqualTo(stdin);
        byte[] stdout = fromCluster(1, "a\u00e9b");
        kubelet.getOutputStream().write(stdout);
        assertThat(read(kubectl, stdout.length)).isEqualTo(stdout);
        byte[] status = fromCluster(3, "{\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":"
                + "[{\"reason\":\"ExitCode\",\"message\":\"7\"}]}}");
        byte[] close = WebSocketFrames.serverFrame(WebSocketFrames.CLOSE, new byte[] {0x03, (byte) 0xE8}).getBytes();
        kubelet.getOutputStream().write(status);
        kubelet.getOutputStream().write(close);
        Session.Ending ending = endings.poll(10, TimeUnit.SECONDS);
        assertThat(ending).isNotNull();
        assertThat(ending.byGateway()).isFalse();
        assertThat(ending.reason()).isEqualTo("the cluster closed the session");
        kubectl.setSoTimeout(500);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> kubectl.getInputStream().read())
                .isInstanceOf(SocketTimeoutException.class); // nothing of the end before it is recorded
        kubectl.setSoTimeout(10_000);
        endRecorded.complete(null);
        byte[] rest = readToEnd(kubectl);
        assertThat(rest).isEqualTo(concat(status, close)); // released only after the end was recorded

        SessionSummary summary = store.summary(recording.about().id()).orElseThrow();
        assertThat(summary.exitCode()).isEqualTo(7);
        assertThat(summary.stdinBytes()).isEqualTo(3);
        assertThat(summary.stdoutBytes()).isEqualTo(4);
        byte[] raw = Files.readAllBytes(dir.resolve(summary.id() + ".raw"));
        assertThat(summary.recording().rawBytes()).isEqualTo(raw.length);
        assertThat(summary.recording().rawSha256()).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(raw)));
        String cast = Files.readString(dir.resolve(summary.id() + ".cast"));
        assertThat(cast.lines().toList()).hasSize(3);
        assertThat(cast).contains("\"i\",\"ls\\n\"").contains("\"o\",\"a\u00e9b\"");
        try (RawRecording.Reader reader = new RawRecording.Reader(Files.newInputStream(dir.resolve(summary.id()
                + ".raw")))) {
            RawRecording.Entry first = reader.next();
            assertThat(first.stream()).isEqualTo(RawRecording.STDIN);
            RawRecording.Entry second = reader.next();
            assertThat(second.stream()).isEqualTo(RawRecording.STDOUT);
            assertThat(second.data()).isEqualTo("a\u00e9b".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void theCredentialsExpiryEndsTheSessionWithAStatusOnTheErrorChannel() throws Exception {
        start(new FileRecordingStore(dir), Duration.ofMinutes(1), Duration.ofMinutes(1),
                Instant.now().plusMillis(300));
        assertGatewayEnded("the credential that opened the session expired");
    }

    @Test
    void anIdleSessionIsEnded() throws Exception {
        start(new FileRecordingStore(dir), Duration.ofMinutes(1), Duration.ofMillis(300), null);
        assertGatewayEnded("idle");
    }

    @Test
    void anOperatorEndsASession() throws Exception {
        start(new FileRecordingStore(dir), Duration.ofMinutes(1), Duration.ofMinutes(1), null);
        session.kill("the session was ended by bob through Gatehouse");
        assertGatewayEnded("ended by bob");
    }

    @Test
    void aRecordingThatCannotBeWrittenEndsTheSession() throws Exception {
        AtomicBoolean diskFull = new AtomicBoolean();
        FileRecordingStore files = new FileRecordingStore(dir);
        RecordingStore failing = new FailingStore(files, diskFull);
        start(failing, Duration.ofMinutes(1), Duration.ofMinutes(1), null);
        byte[] first = fromCluster(1, "before");
        kubelet.getOutputStream().write(first);
        assertThat(read(kubectl, first.length)).isEqualTo(first);
        diskFull.set(true);
        kubelet.getOutputStream().write(fromCluster(1, "after"));
        Session.Ending ending = endings.poll(10, TimeUnit.SECONDS);
        assertThat(ending.byGateway()).isTrue();
        assertThat(ending.reason()).contains("recording cannot be written");
        assertThat(ending.recordingError()).isNotNull(); // the seal failed too: the end event says so
    }

    @Test
    void aRecordingAtItsLimitEndsTheSessionSayingWhy() throws Exception {
        start(new FileRecordingStore(dir), Duration.ofMinutes(1), Duration.ofMinutes(1), null, 4096,
                SessionRecording.LimitAction.END);
        kubelet.getOutputStream().write(fromCluster(1, "x".repeat(5000)));
        assertGatewayEnded("reached its limit of 4096 bytes");
    }

    @Test
    void aRecordingAtItsLimitCanKeepOnlyMetadataAndTheSessionGoesOn() throws Exception {
        FileRecordingStore store = new FileRecordingStore(dir);
        SessionRecording recording = start(store, Duration.ofMinutes(1), Duration.ofMinutes(1), null, 4096,
                SessionRecording.LimitAction.METADATA);
        byte[] big = fromCluster(1, "y".repeat(5000));
        kubelet.getOutputStream().write(big);
        assertThat(read(kubectl, big.length)).isEqualTo(big); // relayed: the session goes on
        byte[] more = fromCluster(1, "after the limit");
        kubelet.getOutputStream().write(more);
        assertThat(read(kubectl, more.length)).isEqualTo(more);
        kubelet.close();
        Session.Ending ending = endings.poll(10, TimeUnit.SECONDS);
        assertThat(ending.byGateway()).isFalse();
        SessionSummary summary = store.summary(recording.about().id()).orElseThrow();
        assertThat(summary.capture()).isEqualTo("metadata");
        assertThat(summary.stdoutBytes()).isEqualTo(5000 + 15); // counted, though no longer captured
        assertThat(summary.recording().rawBytes()).isLessThan(4096 + 1024);
        assertThat(Files.readString(dir.resolve(summary.id() + ".raw"), StandardCharsets.ISO_8859_1))
                .contains("payload capture stopped at the recording limit of 4096 bytes")
                .doesNotContain("after the limit");
    }

    @Test
    void aFrameTheGatewayCannotDecodeEndsTheSession() throws Exception {
        start(new FileRecordingStore(dir), Duration.ofMinutes(1), Duration.ofMinutes(1), null);
        kubectl.getOutputStream().write(new byte[] {(byte) 0x82, 0x01, 0x00}); // unmasked from the client
        assertGatewayEnded("the client sent what the gateway cannot record");
    }

    private void assertGatewayEnded(String why) throws Exception {
        Session.Ending ending = endings.poll(10, TimeUnit.SECONDS);
        assertThat(ending).isNotNull();
        assertThat(ending.byGateway()).isTrue();
        assertThat(ending.reason()).contains(why);
        List<WebSocketFrames.Frame> frames = serverFrames(readToEnd(kubectl));
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0).payload()[0]).isEqualTo((byte) 3);
        assertThat(new String(frames.get(0).payload(), 1, frames.get(0).payload().length - 1, StandardCharsets.UTF_8))
                .contains("\"kind\":\"Status\"").contains(why);
        assertThat(frames.get(1).opcode()).isEqualTo(WebSocketFrames.CLOSE);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** A store whose recordings fail to write once {@code full} is set, as a full disk would. */
    private record FailingStore(RecordingStore files, AtomicBoolean full) implements RecordingStore {
        @Override
        public Sink create(String sessionId) throws IOException {
            Sink sink = files.create(sessionId);
            return new Sink() {
                @Override
                public void write(Part part, byte[] bytes) throws IOException {
                    if (full.get()) {
                        throw new IOException("No space left on device");
                    }
                    sink.write(part, bytes);
                }

                @Override
                public Sealed seal() throws IOException {
                    if (full.get()) {
                        throw new IOException("No space left on device");
                    }
                    return sink.seal();
                }
            };
        }

        @Override
        public void writeSummary(SessionSummary summary) throws IOException {
            files.writeSummary(summary);
        }

        @Override
        public List<SessionSummary> list() throws IOException {
            return files.list();
        }

        @Override
        public java.util.Optional<SessionSummary> summary(String sessionId) throws IOException {
            return files.summary(sessionId);
        }

        @Override
        public InputStream open(String sessionId, Part part) throws IOException {
            return files.open(sessionId, part);
        }
    }
}
