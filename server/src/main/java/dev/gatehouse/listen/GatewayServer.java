package dev.gatehouse.listen;

import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.config.GatehouseConfig;
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
 * available, one server instance per event loop sharing the port. Health endpoints are answered here; every
 * other request enters the chain.
 */
public final class GatewayServer {
    private final List<HttpServer> servers;

    private GatewayServer(List<HttpServer> servers) {
        this.servers = servers;
    }

    public static GatewayServer start(Vertx vertx, GatehouseConfig.ListenConfig listen,
                                      Handler<HttpServerRequest> chain, AuditLog auditLog) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(listen.address())
                .setPort(listen.port())
                .setSsl(true)
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
        Health health = new Health(auditLog);
        Handler<HttpServerRequest> router = request -> {
            if (Health.handles(request.path())) {
                health.handle(request);
            } else {
                chain.handle(request);
            }
        };
        List<HttpServer> servers = new ArrayList<>();
        int instances = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        int port = listen.port();
        for (int i = 0; i < instances; i++) {
            HttpServer server = vertx.createHttpServer(options.setPort(port)).requestHandler(router);
            server.listen().await();
            port = server.actualPort();
            servers.add(server);
        }
        return new GatewayServer(servers);
    }

    public int port() {
        return servers.get(0).actualPort();
    }

    public void close() {
        servers.forEach(s -> s.close().await());
    }
}
