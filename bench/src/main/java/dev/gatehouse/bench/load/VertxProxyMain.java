package dev.gatehouse.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.listen.FlushCoalescing;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * The diagnostic target {@code vertx-proxy}: the least a reverse proxy on the gateway's stack does — Vert.x 5
 * with native epoll, OpenSSL TLS on both sides, one server and one upstream client per event loop, HTTP/2 flushes
 * coalesced as in the gateway ({@link FlushCoalescing}) — with the
 * same work as the nginx proxy (compare a fixed bearer token, set {@code Authorization} and
 * {@code Impersonate-User}, stream the body back). No classification, no audit. It measures the floor of the
 * stack on this machine, so the gateway's figures can be split into "the stack" and "Gatehouse".
 * <p>
 * {@code VertxProxyMain PORT UPSTREAM_PORT DIR h2|http1 MAX_SECONDS} with {@code DIR} the fixture's directory.
 */
public final class VertxProxyMain {
    private VertxProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        HttpVersion upstreamVersion = "h2".equals(args[3]) ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1;
        long maxSeconds = Long.parseLong(args[4]);
        String expected = "Bearer " + Fixture.CLIENT_TOKEN;
        String upstreamAuth = "Bearer " + Files.readString(dir.resolve("upstream-token")).strip();
        String ca = Files.readString(dir.resolve("ca.crt"));
        int loops = Math.max(2, Runtime.getRuntime().availableProcessors());
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(loops));
        HttpServerOptions serverOptions = new HttpServerOptions().setHost("127.0.0.1").setPort(port).setSsl(true)
                .setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setSslEngineOptions(new OpenSSLEngineOptions())
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(dir.resolve("gateway.crt").toString())
                        .setKeyPath(dir.resolve("gateway.key").toString()));
        HttpClientOptions clientOptions = new HttpClientOptions().setSsl(true)
                .setUseAlpn(upstreamVersion == HttpVersion.HTTP_2).setProtocolVersion(upstreamVersion)
                .setSslEngineOptions(new OpenSSLEngineOptions())
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca))).setKeepAlive(true);
        vertx.deployVerticle(() -> new VerticleBase() {
            private HttpClientAgent client;

            @Override
            public Future<?> start() {
                client = vertx.httpClientBuilder().with(clientOptions)
                        .with(new PoolOptions().setHttp2MaxSize(1).setHttp1MaxSize(64))
                        .withConnectHandler(FlushCoalescing::install).build();
                return vertx.createHttpServer(serverOptions).connectionHandler(FlushCoalescing::install)
                        .requestHandler(this::proxy).listen();
            }

            private void proxy(HttpServerRequest request) {
                if (!expected.equals(request.getHeader("Authorization"))) {
                    request.response().setStatusCode(401).end();
                    return;
                }
                request.pause();
                RequestOptions options = new RequestOptions().setMethod(request.method()).setHost("127.0.0.1")
                        .setPort(upstreamPort).setURI(request.uri());
                client.request(options).compose(up -> {
                    up.headers().addAll(request.headers()).set("Authorization", upstreamAuth)
                            .set("Impersonate-User", "bench-user").remove("Host");
                    return up.send(request);
                }).onComplete(ar -> {
                    if (ar.failed()) {
                        request.response().setStatusCode(502).end();
                        return;
                    }
                    var answer = ar.result();
                    var response = request.response().setStatusCode(answer.statusCode());
                    response.headers().addAll(answer.headers());
                    answer.pipeTo(response);
                });
            }
        }, new DeploymentOptions().setInstances(loops)).await();
        System.out.println("vertx-proxy listening on port " + port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            vertx.close().await();
            stopped.countDown();
        }, "vertx-proxy-shutdown"));
        if (!stopped.await(maxSeconds, TimeUnit.SECONDS)) {
            System.exit(0);
        }
    }
}
