package dev.gatehouse.session;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.gatehouse.chain.Evidence;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.PendingApproval;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.classify.Query;
import dev.gatehouse.classify.RequestInfoParser;
import dev.gatehouse.classify.Upgrade;
import dev.gatehouse.forward.Forwarder;
import dev.gatehouse.forward.IdentityCarrier;
import dev.gatehouse.forward.Upstream;
import dev.gatehouse.forward.UpstreamCredential;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * A {@link SessionBridge} between a stand-in kubectl (a plain socket, driven by the test) and a stand-in cluster
 * (a scripted TLS server), with every request held for a review the test decides by hand ({@link Approval}) and
 * the evidence kept in memory.
 */
final class HeldSessionHarness implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final Path dir;
    final FileRecordingStore store;
    final Approval approval = new Approval();
    final MemoryEvidence evidence = new MemoryEvidence();
    /** Connections the cluster accepted, each once its request head arrived. */
    final LinkedBlockingQueue<ClusterConnection> connections = new LinkedBlockingQueue<>();
    final AtomicInteger clusterConnects = new AtomicInteger();
    /** What the cluster answers a request head with (the answer's head, and any bytes right behind it). */
    volatile Function<String, String> answer = HeldSessionHarness::switchAsAsked;
    private final NetServer cluster;
    private final HttpServer gateway;
    private final Upstream upstream;
    private final SessionBridge bridge;

    /** When alice's credential expires (null: never). */
    volatile java.time.Instant credentialExpires;

    HeldSessionHarness(Path dir) throws Exception {
        this(dir, SessionBridge.HoldSettings.defaults());
    }

    HeldSessionHarness(Path dir, SessionBridge.HoldSettings hold) throws Exception {
        this.dir = dir;
        this.store = new FileRecordingStore(Files.createDirectories(dir.resolve("sessions")));
        CertificateAuthority.WrittenFiles tls = CertificateAuthority.create("cluster-ca", Duration.ofDays(1))
                .issueServer("cluster", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .written(dir.resolve("cluster"), "cluster");
        cluster = vertx.createNetServer(new NetServerOptions().setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(tls.certificate().toString()).setKeyPath(tls.privateKey().toString())))
                .connectHandler(this::clusterAccepted);
        await(cluster.listen(0, "127.0.0.1"));
        upstream = Upstream.create(vertx, "c1", URI.create("https://127.0.0.1:" + cluster.actualPort()),
                Files.readString(tls.ca()), null, null, UpstreamCredential.token("cluster-token"),
                IdentityCarrier::impersonate);
        Forwarder forwarder = new Forwarder(vertx, Map.of("c1", upstream), evidence, Duration.ofMinutes(5),
                Duration.ofSeconds(5));
        bridge = new SessionBridge(vertx, forwarder, evidence, store, new SessionRegistry(),
                SessionBridge.Settings.defaults(), hold);
        gateway = vertx.createHttpServer().requestHandler(request -> {
            request.pause();
            try {
                Exchange exchange = new Exchange(RequestHead.of(request));
                exchange.identity(new Identity("alice", "uid-1", List.of("dev"), "", AuthenticationMethod.STATIC_TOKEN,
                        null, null, "cred-1", credentialExpires));
                exchange.target("c1", request.path());
                Query query = Query.parse(request.query());
                exchange.query(query);
                exchange.info(new RequestInfoParser().parse("c1", request.method().name(), request.path(), query));
                exchange.upgrade(Upgrade.of(request.method().name(), request.headers(), false, exchange.info()));
                exchange.pending(approval);
                bridge.bridge(exchange, request).onFailure(e -> refuse(request, e));
            } catch (RuntimeException e) {
                refuse(request, e);
            }
        });
        await(gateway.listen(0, "127.0.0.1"));
    }

    private static void refuse(io.vertx.core.http.HttpServerRequest request, Throwable e) {
        int code = e instanceof GatewayException ge ? ge.status().code() : 500;
        request.resume();
        request.response().setStatusCode(code).end(e.getMessage());
    }

    private void clusterAccepted(NetSocket socket) {
        clusterConnects.incrementAndGet();
        Buffer head = Buffer.buffer();
        ClusterConnection connection = new ClusterConnection(socket);
        socket.handler(bytes -> {
            if (connection.head != null) {
                connection.received.add(bytes.getBytes());
                return;
            }
            head.appendBuffer(bytes);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                connection.head = text.substring(0, end + 4);
                byte[] rest = head.getBytes(end + 4, head.length());
                if (rest.length > 0) {
                    connection.received.add(rest);
                }
                socket.write(answer.apply(connection.head));
                connections.add(connection);
            }
        });
    }

    /** The 101 a cluster answers with: the WebSocket accept for the key, the one subprotocol offered. */
    static String switchAsAsked(String head) {
        String upgrade = header(head, "Upgrade");
        if ("websocket".equalsIgnoreCase(upgrade)) {
            return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + SessionBridge.accept(header(head, "Sec-WebSocket-Key")) + "\r\n"
                    + "Sec-WebSocket-Protocol: " + header(head, "Sec-WebSocket-Protocol") + "\r\n\r\n";
        }
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: SPDY/3.1\r\nConnection: Upgrade\r\n"
                + "X-Stream-Protocol-Version: " + header(head, "X-Stream-Protocol-Version") + "\r\n\r\n";
    }

    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** Connects a stand-in kubectl and sends {@code head}; returns the socket once the gateway's head arrived. */
    Client connect(String requestHead) throws IOException {
        Socket socket = new Socket("127.0.0.1", gateway.actualPort());
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(requestHead.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return new Client(socket, head.toString(StandardCharsets.ISO_8859_1));
    }

    @Override
    public void close() throws Exception {
        bridge.close();
        upstream.close();
        await(vertx.close());
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The stand-in kubectl's connection and the head of the gateway's answer. */
    record Client(Socket socket, String head) implements AutoCloseable {
        void write(byte[] bytes) throws IOException {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }

        byte[] read(int n) throws IOException {
            return socket.getInputStream().readNBytes(n);
        }

        /** Everything until the gateway closes (or {@code millis} of silence). */
        byte[] readToEnd(int millis) throws IOException {
            socket.setSoTimeout(millis);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = socket.getInputStream().read(buffer)) > 0) {
                    all.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // the end as far as the test is concerned
            }
            return all.toByteArray();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** One connection the cluster accepted: its request head and what came after it. */
    static final class ClusterConnection {
        final NetSocket socket;
        final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        volatile String head;

        ClusterConnection(NetSocket socket) {
            this.socket = socket;
        }

        /** Reads exactly {@code n} bytes of what the gateway relayed (10 s at most). */
        byte[] read(int n) throws InterruptedException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (all.size() < n && System.nanoTime() < deadline) {
                byte[] chunk = received.poll(100, TimeUnit.MILLISECONDS);
                if (chunk != null) {
                    all.writeBytes(chunk);
                }
            }
            return all.toByteArray();
        }

        void write(byte[] bytes) {
            socket.write(Buffer.buffer(bytes));
        }
    }

    /** A review the test decides by hand. */
    static final class Approval implements PendingApproval {
        final Promise<Void> decision = Promise.promise();
        final AtomicInteger abandoned = new AtomicInteger();

        @Override
        public String reviewId() {
            return "rev-42";
        }

        @Override
        public String notice() {
            return "Gatehouse: this session is held for review rev-42.\n"
                    + "Approve with: gatehouse review approve rev-42\n";
        }

        @Override
        public Future<Void> released() {
            return decision.future();
        }

        @Override
        public void abandoned() {
            abandoned.incrementAndGet();
        }
    }

    /** The events, as {@code record.Recorder} would append them, kept in order. */
    static final class MemoryEvidence implements Evidence {
        record Event(String stage, Integer code, String note, Map<String, String> details) {
        }

        final List<Event> events = new CopyOnWriteArrayList<>();
        final LinkedBlockingQueue<Event> completed = new LinkedBlockingQueue<>();

        @Override
        public Future<Void> started(Exchange exchange, Map<String, String> details) {
            events.add(new Event("started", null, null, Map.copyOf(details)));
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> completed(Exchange exchange, int code, long bytesIn, long bytesOut, String note,
                                      Map<String, String> details) {
            Event event = new Event("completed", code, note, details == null ? Map.of() : Map.copyOf(details));
            events.add(event);
            completed.add(event);
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> refused(Exchange exchange, dev.gatehouse.status.KubeStatus status, long bytesIn) {
            Event event = new Event("refused", status.code(), status.message(), Map.of());
            events.add(event);
            return Future.succeededFuture();
        }

        long completedCount() {
            return events.stream().filter(e -> e.stage().equals("completed")).count();
        }
    }
}
