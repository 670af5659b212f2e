package dev.gatehouse.listen;

import java.util.List;

import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.classify.ClusterRoutes;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * The gateway's TLS listener: HTTP/2 and HTTP/1.1 by ALPN, the OpenSSL engine (netty-tcnative) when
 * available, one server instance per event loop sharing the port. Health endpoints and the public endpoints are
 * answered here on the gateway's own names; every other request enters the chain. A request addressed to a
 * cluster's host name (its {@code Host}, or its SNI when the host is an IP address) is the cluster's whole: every
 * path of it enters the chain, {@code /livez} and {@code /.well-known/...} included, as does any request whose
 * addressing the chain will refuse (so the refusal is recorded).
 */
public final class GatewayServer {
    private final List<HttpServer> servers;

    private GatewayServer(List<HttpServer> servers) {
        this.servers = servers;
    }

    /** An unauthenticated endpoint served beside the chain; answers and returns true for its own paths only. */
    @FunctionalInterface
    public interface Endpoint {
        boolean handle(HttpServerRequest request);
    }

    /**
     * @param integrityProblem the background verifier's alert, "" while the log verifies
     * @param endpoints public endpoints (issuer discovery, JWKS, token exchange, login metadata), asked in order
     *                  before the chain
     */
    public static GatewayServer start(Vertx vertx, GatehouseConfig.ListenConfig listen, ClusterRoutes routes,
                                      Handler<HttpServerRequest> chain, AuditLog auditLog,
                                      java.util.function.Supplier<String> integrityProblem, List<Endpoint> endpoints) {
        java.util.Map<String, List<String>> hostNames = new java.util.LinkedHashMap<>();
        routes.clusters().forEach(c -> hostNames.put(c, routes.hostNames(c)));
        ListenerCertificate.checkCovers(listen.certFile(), hostNames);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(listen.address())
                .setPort(listen.port())
                .setSsl(true)
                .setSni(true) // without it the server does not record the client's server name for the chain
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(listen.certFile().toString())
                        .setKeyPath(listen.keyFile().toString()))
                .setCompressionSupported(false)
                .setDecompressionSupported(false)
                .setMaxHeaderSize(64 * 1024)
                .setMaxInitialLineLength(16 * 1024);
        if (OpenSSLEngineOptions.isAvailable()) {
            options.setSslEngineOptions(new OpenSSLEngineOptions());
        }
        Health health = new Health(auditLog, integrityProblem);
        Handler<HttpServerRequest> router = request -> {
            if (routes.hasHostNames() && addressedToCluster(routes, request)) {
                chain.handle(request);
                return;
            }
            if (Health.handles(request.path())) {
                health.handle(request);
                return;
            }
            if (!request.path().startsWith("/clusters/")) {
                for (Endpoint endpoint : endpoints) {
                    if (endpoint.handle(request)) {
                        return;
                    }
                }
            }
            chain.handle(request);
        };
        // One server per event loop: Vert.x shares a port among servers started in verticle instances.
        List<HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
        int instances = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        deploy(vertx, options, router, servers, instances);
        return new GatewayServer(servers);
    }

    /** True when the request names a cluster host, or is addressed in a way the chain refuses. */
    private static boolean addressedToCluster(ClusterRoutes routes, HttpServerRequest request) {
        try {
            return routes.namedCluster(RequestHead.of(request)) != null;
        } catch (GatewayException refusedByTheChain) {
            return true;
        }
    }

    private static void deploy(Vertx vertx, HttpServerOptions options, Handler<HttpServerRequest> router,
                               List<HttpServer> servers, int instances) {
        HttpServerOptions copy = new HttpServerOptions(options);
        vertx.deployVerticle(() -> new io.vertx.core.VerticleBase() {
            @Override
            public io.vertx.core.Future<?> start() {
                HttpServer server = vertx.createHttpServer(copy).connectionHandler(FlushCoalescing::install)
                        .requestHandler(router);
                return server.listen().onSuccess(servers::add);
            }
        }, new io.vertx.core.DeploymentOptions().setInstances(instances)).await();
    }

    public int port() {
        return servers.get(0).actualPort();
    }

    /** Stops accepting requests (the verticles are undeployed when Vert.x closes). */
    public void close() {
        servers.forEach(s -> s.close().await());
    }
}
