package dev.gatehouse.e2e.sandbox;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.chain.Evidence;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.PendingApproval;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.classify.Query;
import dev.gatehouse.classify.RequestInfoParser;
import dev.gatehouse.classify.Upgrade;
import dev.gatehouse.e2e.GatewayTls;
import dev.gatehouse.forward.Forwarder;
import dev.gatehouse.forward.IdentityCarrier;
import dev.gatehouse.forward.Upstream;
import dev.gatehouse.forward.UpstreamCredential;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.sandbox.Sandbox;
import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.session.FileRecordingStore;
import dev.gatehouse.session.SessionBridge;
import dev.gatehouse.session.SessionRegistry;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * The session bridge and forwarder of the gateway in front of the sandbox, without the rest of the chain: every
 * request is alice's, and every session request is held for a review the test decides ({@link #nextReview()}), as
 * the hold stage (not wired here) would hold it. Evidence is kept in memory. Enough to show what the real kubectl
 * does with a held session.
 */
final class HeldGateway implements AutoCloseable {
    final Sandbox sandbox;
    final Vertx vertx = Vertx.vertx();
    final Path dir;
    final List<Map.Entry<Integer, String>> completed = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.LinkedBlockingQueue<Promise<Void>> reviews =
            new java.util.concurrent.LinkedBlockingQueue<>();
    private final Upstream upstream;
    private final SessionBridge bridge;
    private final HttpServer server;
    private final String caPem;

    HeldGateway(Path dir) throws Exception {
        this(dir, dev.gatehouse.sandbox.SandboxOptions.defaults());
    }

    /** In front of a sandbox with these options (one refusing WebSocket sessions as a 1.20 node does). */
    HeldGateway(Path dir, dev.gatehouse.sandbox.SandboxOptions options) throws Exception {
        this.dir = dir;
        this.sandbox = Sandbox.start(options);
        upstream = Upstream.create(vertx, "sandbox", URI.create(sandbox.url()), sandbox.caCertificatePem(), null, null,
                UpstreamCredential.token(sandbox.token()), IdentityCarrier::impersonate);
        Evidence evidence = new Evidence() {
            @Override
            public Future<Void> started(Exchange exchange, Map<String, String> details) {
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> completed(Exchange exchange, int code, long in, long out, String note,
                                          Map<String, String> details) {
                if (exchange.upgrade() != null) {
                    completed.add(Map.entry(code, String.valueOf(note)));
                }
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> refused(Exchange exchange, dev.gatehouse.status.KubeStatus status, long bytesIn) {
                return Future.succeededFuture(); // no chain here: the bridge is driven directly
            }
        };
        Forwarder forwarder = new Forwarder(vertx, Map.of("sandbox", upstream), evidence, Duration.ofMinutes(5),
                Duration.ofSeconds(30));
        bridge = new SessionBridge(vertx, forwarder, evidence,
                new FileRecordingStore(Files.createDirectories(dir.resolve("sessions"))), new SessionRegistry(),
                SessionBridge.Settings.defaults());
        CertificateAuthority.WrittenFiles tls = GatewayTls.create(dir, "held-gateway-ca");
        caPem = Files.readString(tls.ca());
        server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(tls.certificate().toString()).setKeyPath(tls.privateKey().toString())))
                .requestHandler(request -> handle(request, forwarder));
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void handle(HttpServerRequest request, Forwarder forwarder) {
        request.pause();
        Exchange exchange = new Exchange(RequestHead.of(request));
        try {
            exchange.identity(new Identity("alice", "uid-alice", List.of("developers"), "",
                    AuthenticationMethod.STATIC_TOKEN, null, null, "e2e", null));
            exchange.target("sandbox", request.path());
            Query query = Query.parse(request.query());
            exchange.query(query);
            exchange.info(new RequestInfoParser().parse("sandbox", request.method().name(), request.path(), query));
            exchange.upgrade(Upgrade.of(request.method().name(), request.headers(), false, exchange.info()));
        } catch (GatewayException e) {
            request.resume();
            request.response().setStatusCode(e.status().code()).end(e.status().toJson());
            return;
        }
        if (exchange.upgrade() == null) {
            forwarder.forward(exchange, request).onFailure(e -> request.response().setStatusCode(502).end());
            return;
        }
        Promise<Void> decision = Promise.promise();
        reviews.add(decision);
        exchange.pending(new PendingApproval() {
            @Override
            public String reviewId() {
                return "rev-e2e";
            }

            @Override
            public String notice() {
                return "Gatehouse: this session is held for review rev-e2e; approve with: gatehouse review approve "
                        + "rev-e2e\n";
            }

            @Override
            public Future<Void> released() {
                return decision.future();
            }
        });
        bridge.bridge(exchange, request).onFailure(e -> {
            request.resume();
            request.response().setStatusCode(502).end(String.valueOf(e.getMessage()));
        });
    }

    /** The decision of the next session request (waits for it to arrive, 20 s at most). */
    Promise<Void> nextReview() throws InterruptedException {
        Promise<Void> review = reviews.poll(20, TimeUnit.SECONDS);
        if (review == null) {
            throw new AssertionError("no session request arrived within 20 s");
        }
        return review;
    }

    Kubectl kubectl(Kubectl.Options options) {
        return Kubectl.create(new Kubeconfig("https://127.0.0.1:" + server.actualPort(), caPem, "alice-token", null,
                "dev"), options);
    }

    @Override
    public void close() throws Exception {
        bridge.close();
        upstream.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        sandbox.close();
    }
}
