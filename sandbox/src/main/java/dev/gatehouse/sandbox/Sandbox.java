package dev.gatehouse.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.sandbox.cluster.Controllers;
import dev.gatehouse.sandbox.cluster.SimulatedCluster;
import dev.gatehouse.sandbox.http.ApiServer;
import dev.gatehouse.sandbox.http.Identity;
import dev.gatehouse.sandbox.portforward.EchoServer;
import dev.gatehouse.sandbox.recording.ReceivedRequest;
import dev.gatehouse.sandbox.recording.RequestLog;
import dev.gatehouse.sandbox.resource.ResourceCatalog;
import dev.gatehouse.sandbox.seed.Seed;
import dev.gatehouse.sandbox.store.ObjectStore;

/**
 * An in-process stand-in for a Kubernetes API server that the real kubectl accepts: the demo's cluster and the
 * upstream of the gateway's end-to-end tests. It serves HTTPS on loopback with a certificate from its own CA,
 * accepts only its bearer tokens, keeps objects in memory, and records every request it receives. Exec, attach,
 * cp and port-forward work over WebSocket and SPDY/3.1 as with a real node: {@link
 * SandboxOptions.Builder#webSocketStreams(boolean) webSocketStreams(false)} refuses WebSocket as a 1.20 node does
 * (kubectl falls back to SPDY), and port-forward reaches real TCP services ({@link
 * SandboxOptions.Builder#forwardPort forwardPort}; container port {@value #ECHO_PORT} is an echo service).
 *
 * <pre>{@code
 * try (Sandbox sandbox = Sandbox.start()) {
 *     kubeconfig: server sandbox.url(), certificate-authority sandbox.caFile(), token sandbox.token()
 *     assertThat(sandbox.receivedWithHeader("Impersonate-User", "alice")).isNotEmpty();
 * }
 * }</pre>
 */
public final class Sandbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
    private static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(30);
    /** The container port of the seeded pods ({@code http}), port-forwarded to the echo service by default. */
    public static final int ECHO_PORT = 8080;

    private final SandboxOptions options;
    private final Vertx vertx;
    private final ApiServer server;
    private final Controllers controllers;
    private final RequestLog requests;
    private final CertificateAuthority.Issued certificate;
    private final Path caFile;
    private final Path temporaryDirectory;
    private final EchoServer echo;

    private Sandbox(SandboxOptions options, Vertx vertx, ApiServer server, Controllers controllers,
                    RequestLog requests, CertificateAuthority.Issued certificate, Path caFile,
                    Path temporaryDirectory, EchoServer echo) {
        this.options = options;
        this.vertx = vertx;
        this.server = server;
        this.controllers = controllers;
        this.requests = requests;
        this.certificate = certificate;
        this.caFile = caFile;
        this.temporaryDirectory = temporaryDirectory;
        this.echo = echo;
    }

    /** Starts a seeded sandbox with the default options. */
    public static Sandbox start() {
        return start(SandboxOptions.defaults());
    }

    /** Starts a sandbox and waits until it listens. */
    public static Sandbox start(SandboxOptions options) {
        Path temporary = null;
        Vertx vertx = null;
        try {
            Path dir = options.certificateDirectory();
            if (dir == null) {
                temporary = Files.createTempDirectory("gatehouse-sandbox-");
                dir = temporary;
            }
            CertificateAuthority ca = CertificateAuthority.create("gatehouse-sandbox-ca", CERTIFICATE_VALIDITY);
            CertificateAuthority.Issued issued = ca.issueServer("gatehouse-sandbox", List.of("localhost"),
                    List.of("127.0.0.1"), CERTIFICATE_VALIDITY);
            Path caFile = issued.written(dir, "sandbox").ca();

            Clock clock = Clock.systemUTC();
            ResourceCatalog catalog = ResourceCatalog.standard();
            ObjectStore store = new ObjectStore(clock, new SimulatedCluster(clock));
            if (options.seeded()) {
                Seed.apply(store, catalog, clock);
            }
            RequestLog requests = new RequestLog(options.recordCapacity());
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
            EchoServer echo = EchoServer.start(vertx).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            ApiServer server = ApiServer.start(vertx, store, catalog, settings(options, issued, echo), requests::add,
                    clock).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            Context controllerContext = vertx.getOrCreateContext();
            Controllers controllers = new Controllers(store, catalog, clock,
                    task -> controllerContext.runOnContext(v -> task.run()));
            controllers.start();
            Sandbox sandbox = new Sandbox(options, vertx, server, controllers, requests, issued, caFile, temporary,
                    echo);
            LOG.info("sandbox cluster listening on {} ({})", sandbox.url(), options);
            return sandbox;
        } catch (Exception e) {
            if (vertx != null) {
                vertx.close();
            }
            deleteQuietly(temporary);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot start the sandbox cluster (" + options + "): " + e.getMessage(), e);
        }
    }

    private static ApiServer.Settings settings(SandboxOptions options, CertificateAuthority.Issued issued,
                                               EchoServer echo) {
        Map<String, Identity> tokens = new HashMap<>();
        tokens.put(options.token(), new Identity(options.gatewayUser(), "", List.of("system:authenticated"),
                Map.of(), false));
        if (options.adminToken() != null) {
            tokens.put(options.adminToken(), new Identity("sandbox-admin", "",
                    List.of("system:masters", "system:authenticated"), Map.of(), false));
        }
        return new ApiServer.Settings(options.host(), options.port(), issued.certificatePem(),
                pkcs8Pem(issued), tokens, options.deniedUsers(), options.logFollowInterval(),
                options.webSocketStreams(), portTargets(options, echo));
    }

    /** The configured port-forward targets; the seeded pods' {@value #ECHO_PORT} is the echo service unless set. */
    private static Map<Integer, InetSocketAddress> portTargets(SandboxOptions options, EchoServer echo) {
        Map<Integer, InetSocketAddress> targets = new HashMap<>(options.portForwards());
        targets.putIfAbsent(ECHO_PORT, InetSocketAddress.createUnresolved("127.0.0.1", echo.port()));
        return targets;
    }

    /** The key as PKCS#8 {@code PRIVATE KEY} PEM, which every TLS engine reads (SEC1 EC keys are not). */
    private static String pkcs8Pem(CertificateAuthority.Issued issued) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(issued.keyPair().getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    }

    /** {@code https://127.0.0.1:<port>}. */
    public String url() {
        return "https://" + options.host() + ":" + server.port();
    }

    /** The port the sandbox listens on. */
    public int port() {
        return server.port();
    }

    /** PEM of the CA that signed the serving certificate. */
    public String caCertificatePem() {
        return certificate.caPem();
    }

    /** The CA certificate as a file ({@code ca.crt} in the certificate directory). */
    public Path caFile() {
        return caFile;
    }

    /** The bearer token the gateway must present. */
    public String token() {
        return options.token();
    }

    /** The user {@link #token()} authenticates. */
    public String gatewayUser() {
        return options.gatewayUser();
    }

    /** The direct-admin bearer token (user {@code sandbox-admin}), or {@code null} when disabled. */
    public String adminToken() {
        return options.adminToken();
    }

    /** Every recorded request, oldest first (the last {@link SandboxOptions#recordCapacity()}). */
    public List<ReceivedRequest> received() {
        return requests.all();
    }

    /** Recorded requests that carry a header (name case-insensitive) with exactly this value. */
    public List<ReceivedRequest> receivedWithHeader(String name, String value) {
        return requests.matching(r -> r.headers(name).contains(value));
    }

    /** The loopback address of the TCP echo service that container port {@value #ECHO_PORT} forwards to by default. */
    public InetSocketAddress echoAddress() {
        return InetSocketAddress.createUnresolved("127.0.0.1", echo.port());
    }

    /** How many {@code kubectl attach} clients are attached to a container's main process right now. */
    public int attachedClients(String namespace, String pod, String container) {
        return server.processes().attached(namespace, pod, container);
    }

    /** Forgets the recorded requests. */
    public void clearReceived() {
        requests.clear();
    }

    /** Stops the server and removes a temporary certificate directory. */
    @Override
    public void close() {
        try {
            controllers.stop();
            server.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
            deleteQuietly(temporaryDirectory);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("cannot remove {}", dir, e);
        }
    }
}
