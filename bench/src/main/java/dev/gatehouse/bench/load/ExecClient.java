package dev.gatehouse.bench.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * A client of exec sessions over WebSocket speaking {@code v5.channel.k8s.io}, as kubectl 1.32 does: every binary
 * message starts with its channel (0 stdin, 1 stdout, 2 stderr, 3 the final Status), and {@code 255 0} closes
 * stdin. One instance talks to one endpoint (the gateway, or the sandbox directly) with its CA and bearer token.
 */
final class ExecClient implements AutoCloseable {
    static final String PROTOCOL = "v5.channel.k8s.io";
    private static final byte STDIN = 0;
    private static final byte STDOUT = 1;
    private static final byte ERROR = 3;
    private static final Buffer CLOSE_STDIN = Buffer.buffer(new byte[] {(byte) 255, 0});

    private final WebSocketClient client;
    private final int port;
    private final String pathPrefix;
    private final String token;

    /** {@code pathPrefix} is {@code /clusters/NAME} through the gateway and empty against the sandbox. */
    ExecClient(Vertx vertx, Path caFile, int port, String pathPrefix, String token) {
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()))
                .setMaxConnections(100_000).setMaxFrameSize(1 << 20).setMaxMessageSize(8 << 20)
                .setConnectTimeout(30_000));
        this.port = port;
        this.pathPrefix = pathPrefix;
        this.token = token;
    }

    /** Opens {@code exec} of the pod with this query (command and streams), upgraded to v5. */
    Future<WebSocket> open(String namespace, String pod, String query) {
        return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setSsl(true)
                .setURI(pathPrefix + "/api/v1/namespaces/" + namespace + "/pods/" + pod + "/exec?" + query)
                .addSubProtocol(PROTOCOL).putHeader("Authorization", "Bearer " + token));
    }

    /** What one stream through {@code cat} did: bytes echoed, nanoseconds from the first byte sent to the last one back. */
    record StreamResult(long bytes, long nanos, String status) {
        double mebibytesPerSecond() {
            return bytes / 1048576.0 / (nanos / 1e9);
        }
    }

    /**
     * Streams {@code bytes} of ASCII through {@code cat} (stdin to stdout) in messages of {@code chunk} bytes,
     * keeping at most {@code window} bytes in flight, then closes stdin and waits for the session's Status.
     */
    CompletableFuture<StreamResult> streamThroughCat(String namespace, String pod, long bytes, int chunk,
                                                     int window) {
        CompletableFuture<StreamResult> done = new CompletableFuture<>();
        byte[] payload = new byte[chunk + 1];
        payload[0] = STDIN;
        byte[] line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-gatehouse-bench\n"
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 1; i < payload.length; i++) {
            payload[i] = line[(i - 1) % line.length];
        }
        open(namespace, pod, "command=cat&stdin=true&stdout=true&stderr=true").onComplete(ar -> {
            if (ar.failed()) {
                done.completeExceptionally(ar.cause());
                return;
            }
            WebSocket ws = ar.result();
            new Object() {
                long sent;
                long received;
                long start = System.nanoTime();
                long end;
                boolean stdinClosed;
                String status = "";

                void run() {
                    ws.binaryMessageHandler(message -> {
                        byte channel = message.getByte(0);
                        if (channel == STDOUT) {
                            received += message.length() - 1;
                            if (received >= bytes && !stdinClosed) {
                                end = System.nanoTime();
                                stdinClosed = true;
                                ws.writeBinaryMessage(CLOSE_STDIN.copy());
                            } else {
                                pump();
                            }
                        } else if (channel == ERROR) {
                            status = message.getString(1, message.length(), "UTF-8");
                        }
                    });
                    ws.drainHandler(v -> pump());
                    ws.exceptionHandler(done::completeExceptionally);
                    ws.closeHandler(v -> {
                        if (received >= bytes) {
                            done.complete(new StreamResult(received, end - start, status));
                        } else {
                            done.completeExceptionally(new IllegalStateException("session closed after " + received
                                    + " of " + bytes + " bytes; status " + status + ", close " + ws.closeStatusCode()
                                    + " " + ws.closeReason()));
                        }
                    });
                    start = System.nanoTime();
                    pump();
                }

                void pump() {
                    while (sent < bytes && sent - received < window && !ws.writeQueueFull()) {
                        int n = (int) Math.min(chunk, bytes - sent);
                        ws.writeBinaryMessage(Buffer.buffer(n == chunk ? payload : java.util.Arrays.copyOf(payload,
                                n + 1)));
                        sent += n;
                    }
                }
            }.run();
        });
        return done;
    }

    /** Runs a command without stdin (stdout only) and completes with its Status message when the session closes. */
    Future<String> run(String namespace, String pod, String command) {
        Promise<String> done = Promise.promise();
        open(namespace, pod, "command=" + command + "&stdout=true").onComplete(ar -> {
            if (ar.failed()) {
                done.tryFail(ar.cause());
                return;
            }
            WebSocket ws = ar.result();
            StringBuilder status = new StringBuilder();
            ws.binaryMessageHandler(message -> {
                if (message.getByte(0) == ERROR) {
                    status.append(message.getString(1, message.length(), "UTF-8"));
                }
            });
            ws.exceptionHandler(done::tryFail);
            ws.closeHandler(v -> done.tryComplete(status.toString()));
        });
        return done.future();
    }

    /** Closes stdin of a session opened with stdin, as kubectl does at the end of its input. */
    static Future<Void> closeStdin(WebSocket ws) {
        return ws.writeBinaryMessage(CLOSE_STDIN.copy());
    }

    @Override
    public void close() {
        client.close();
    }
}
