package dev.gatehouse.sandbox.http;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;

import dev.gatehouse.sandbox.exec.ContainerProcesses;
import dev.gatehouse.sandbox.exec.WebSocketStreams;
import dev.gatehouse.sandbox.openapi.OpenApi;
import dev.gatehouse.sandbox.portforward.PortForwardSession;
import dev.gatehouse.sandbox.recording.ReceivedRequest;
import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.ResourceCatalog;
import dev.gatehouse.sandbox.resource.ResourceType;
import dev.gatehouse.sandbox.store.ObjectStore;

/**
 * The sandbox's HTTPS front: a Vert.x server (TLS, ALPN h2 and http/1.1) whose request path is the chain in
 * {@link #handle}: read the body, record the request, answer health checks, authenticate the bearer token, apply
 * impersonation, then serve discovery, OpenAPI or a resource request (watch, logs, exec/attach/port-forward, reviews, subresources,
 * objects).
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /**
     * What the front needs.
     *
     * @param host              address to bind, e.g. 127.0.0.1
     * @param port              port, 0 for any free one
     * @param certificatePem    serving certificate
     * @param privateKeyPem     its key
     * @param tokens            bearer token → the user it authenticates
     * @param deniedUsers       users every access review denies
     * @param logFollowInterval time between streamed log lines
     * @param webSocketStreams  whether exec, attach and port-forward are served over WebSocket too (else SPDY only)
     * @param portTargets       container port → the local TCP address port-forwarded connections reach
     */
    public record Settings(String host, int port, String certificatePem, String privateKeyPem,
                           Map<String, Identity> tokens, Set<String> deniedUsers, Duration logFollowInterval,
                           boolean webSocketStreams, Map<Integer, InetSocketAddress> portTargets) {
        public Settings {
            Objects.requireNonNull(host, "host");
            tokens = Map.copyOf(tokens);
            deniedUsers = Set.copyOf(deniedUsers);
            portTargets = Map.copyOf(portTargets);
        }
    }

    private final Vertx vertx;
    private final ObjectStore store;
    private final ResourceCatalog catalog;
    private final Settings settings;
    private final Consumer<ReceivedRequest> recorder;
    private final Clock clock;
    private HttpServer server;
    private Discovery discovery;
    private OpenApi openApi;
    private ResourceHandler resources;
    private SubresourceHandler subresources;
    private WatchHandler watches;
    private LogHandler logs;
    private ReviewHandler reviews;
    private StreamHandler streams;
    private final ContainerProcesses processes = new ContainerProcesses();

    private ApiServer(Vertx vertx, ObjectStore store, ResourceCatalog catalog, Settings settings,
                      Consumer<ReceivedRequest> recorder, Clock clock) {
        this.vertx = vertx;
        this.store = store;
        this.catalog = catalog;
        this.settings = settings;
        this.recorder = recorder;
        this.clock = clock;
    }

    /** Starts the server; the future completes once it listens. */
    public static Future<ApiServer> start(Vertx vertx, ObjectStore store, ResourceCatalog catalog, Settings settings,
                                          Consumer<ReceivedRequest> recorder, Clock clock) {
        ApiServer api = new ApiServer(vertx, store, catalog, settings, recorder, clock);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(settings.host()).setPort(settings.port())
                .setSsl(true).setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setWebSocketSubProtocols(webSocketProtocols())
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertValue(Buffer.buffer(settings.certificatePem()))
                        .setKeyValue(Buffer.buffer(settings.privateKeyPem())));
        if (OpenSSLEngineOptions.isAvailable() && OpenSSLEngineOptions.isAlpnAvailable()) {
            options.setSslEngineOptions(new OpenSSLEngineOptions());
        }
        api.server = vertx.createHttpServer(options).requestHandler(api::handle);
        return api.server.listen().map(s -> {
            api.wire(settings.host() + ":" + s.actualPort());
            return api;
        });
    }

    private static List<String> webSocketProtocols() {
        List<String> protocols = new ArrayList<>(WebSocketStreams.PROTOCOLS);
        protocols.add(PortForwardSession.WEBSOCKET_PROTOCOL);
        return protocols;
    }

    private void wire(String address) {
        Renderer renderer = new Renderer(clock);
        discovery = new Discovery(catalog, address, settings.webSocketStreams());
        openApi = new OpenApi(catalog);
        resources = new ResourceHandler(store, renderer, clock);
        subresources = new SubresourceHandler(store, resources, clock);
        watches = new WatchHandler(vertx, store, renderer);
        logs = new LogHandler(vertx, store, settings.logFollowInterval().toMillis());
        streams = new StreamHandler(vertx, store, processes, settings.portTargets(), settings.webSocketStreams());
        reviews = new ReviewHandler(settings.deniedUsers(), token -> settings.tokens().get(token));
    }

    /** The main processes of containers that clients attached to. */
    public ContainerProcesses processes() {
        return processes;
    }

    /** The port the server listens on. */
    public int port() {
        return server.actualPort();
    }

    /** Reads the whole body first, except for upgrades (exec, attach, port-forward), whose connection becomes the stream. */
    private void handle(HttpServerRequest request) {
        if (isUpgrade(request)) {
            serve(new Exchange(request, new byte[0]));
        } else {
            request.body().onSuccess(body -> serve(new Exchange(request, body.getBytes())));
        }
    }

    private static boolean isUpgrade(HttpServerRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return upgrade != null && !upgrade.isEmpty();
    }

    /** The request chain, in order. */
    private void serve(Exchange ex) {
        HttpServerRequest request = ex.request();
        try {
            record(ex);
            if (health(ex)) {
                return;
            }
            ex.identity(Identity.of(authenticate(ex), request.headers()));
            RequestInfo info = RequestInfo.parse(request.method().name(), request.path(), request.getParam("watch"));
            if (info.resourceRequest()) {
                serveResource(ex, info);
            } else {
                serveNonResource(ex, info);
            }
        } catch (ApiException e) {
            ex.fail(e);
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", request.method(), request.path(), e);
            ex.fail(new ApiException(500, "InternalError", "an error on the server (\"" + e.getMessage()
                    + "\") has prevented the request from succeeding", null, null, null));
        }
    }

    private void record(Exchange ex) {
        HttpServerRequest request = ex.request();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue()));
        String path = request.path();
        recorder.accept(new ReceivedRequest(Instant.now(clock), request.method().name(), path, request.query(),
                headers, ex.body().length, request.version() == HttpVersion.HTTP_2 ? "HTTP/2" : "HTTP/1.1",
                sha256(ex.body())));
    }

    private static String sha256(byte[] body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean health(Exchange ex) {
        String path = ex.request().path();
        if (path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz")) {
            ex.response(200, "text/plain; charset=utf-8").end("ok");
            return true;
        }
        return false;
    }

    private Identity authenticate(Exchange ex) {
        String authorization = ex.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            Identity identity = settings.tokens().get(authorization.substring(7).trim());
            if (identity != null) {
                return identity;
            }
        }
        throw ApiException.unauthorized();
    }

    private void serveNonResource(Exchange ex, RequestInfo info) {
        String path = info.path();
        Optional<ObjectNode> document = discovery.document(path);
        if (document.isEmpty() && path.equals("/openapi/v3")) {
            document = Optional.of(openApi.v3Index());
        } else if (document.isEmpty() && path.startsWith("/openapi/v3/")) {
            document = openApi.v3(path.substring("/openapi/v3/".length()));
        } else if (document.isEmpty() && path.equals("/openapi/v2")) {
            String accept = ex.header("Accept");
            boolean json = accept == null || accept.contains("application/json") || accept.contains("*/*");
            if (!json) {
                // kubectl asks for protobuf and, on 404, uses its compiled-in schemas for strategic merge patches
                throw ApiException.notFound("the sandbox serves /openapi/v2 only as application/json");
            }
            document = Optional.of(openApi.v2());
        }
        ex.respond(200, document.orElseThrow(() -> ApiException.notFound("the server could not find the requested "
                + "resource")));
    }

    private void serveResource(Exchange ex, RequestInfo info) {
        ResourceType type = catalog.find(info.group(), info.version(), info.resource())
                .orElseThrow(() -> ApiException.notFound("the server could not find the requested resource"));
        if (!type.stored()) {
            reviews.handle(ex, info, type);
        } else if (info.subresource().equals("log") && type.plural().equals("pods") && info.verb().equals("get")) {
            logs.handle(ex, info, type);
        } else if (type.plural().equals("pods") && List.of("exec", "attach", "portforward")
                .contains(info.subresource())) {
            streams.handle(ex, info, type);
        } else if (!info.subresource().isEmpty()) {
            subresources.handle(ex, info, type);
        } else if (info.verb().equals("watch")) {
            watches.handle(ex, info, type);
        } else {
            resources.handle(ex, info, type);
        }
    }

    @Override
    public void close() {
        server.close().await();
    }
}
