package dev.gatehouse.review.notify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.listen.CertificateAuthority;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

/** A webhook receiver on loopback (plain or TLS) that records each post and answers from a script. */
final class FakeReceiver implements AutoCloseable {
    /** One post as received. */
    record Received(String path, MultiMap headers, String body, long atNanos) {
    }

    /** How to answer one post; {@code silent} never answers, {@code endless} answers but never ends the body. */
    record Answer(int status, Map<String, String> headers, boolean silent, boolean endless) {
        static Answer of(int status) {
            return new Answer(status, Map.of(), false, false);
        }

        static Answer of(int status, String header, String value) {
            return new Answer(status, Map.of(header, value), false, false);
        }

        static Answer silence() {
            return new Answer(0, Map.of(), true, false);
        }

        static Answer endless(int status) {
            return new Answer(status, Map.of(), false, true);
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
    volatile Answer otherwise = Answer.of(200);
    final Path caFile;
    private final HttpServer server;
    private final boolean tls;

    private FakeReceiver(Vertx vertx, HttpServerOptions options, Path caFile) {
        this.caFile = caFile;
        this.tls = caFile != null;
        this.server = await(vertx.createHttpServer(options.setHost("127.0.0.1").setPort(0)).requestHandler(req ->
                req.body().onSuccess(body -> {
                    received.add(new Received(req.uri(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
                            body.toString(), System.nanoTime()));
                    Answer a = script.isEmpty() ? otherwise : script.poll();
                    if (a == null || a.silent()) {
                        return;
                    }
                    a.headers().forEach(req.response()::putHeader);
                    if (a.endless()) {
                        req.response().setStatusCode(a.status()).setChunked(true).write("drip");
                        return;
                    }
                    req.response().setStatusCode(a.status()).end("ok");
                })).listen());
    }

    static FakeReceiver plain(Vertx vertx) {
        return new FakeReceiver(vertx, new HttpServerOptions(), null);
    }

    /** A TLS receiver whose certificate (for 127.0.0.1) is issued by a fresh CA written to {@code dir}. */
    static FakeReceiver tls(Vertx vertx, Path dir) {
        CertificateAuthority ca = CertificateAuthority.create("notify-test-ca", Duration.ofDays(1));
        CertificateAuthority.Issued issued = ca.issueServer("receiver", List.of("localhost"), List.of("127.0.0.1"),
                Duration.ofDays(1));
        CertificateAuthority.WrittenFiles files = issued.written(dir, "receiver");
        // Vert.x reads PKCS#8 ("BEGIN PRIVATE KEY"); the CA writes the key in the SEC1 form.
        String pkcs8 = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                issued.keyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(files.certificate().toString()).setKeyValue(Buffer.buffer(pkcs8)));
        return new FakeReceiver(vertx, options, files.ca());
    }

    String url(String path) {
        return (tls ? "https" : "http") + "://127.0.0.1:" + server.actualPort() + path;
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        await(server.close());
    }
}
