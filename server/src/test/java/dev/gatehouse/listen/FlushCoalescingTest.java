package dev.gatehouse.listen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.net.impl.ConnectionBase;

class FlushCoalescingTest {
    private Vertx vertx;
    private HttpServer server;
    private final Map<HttpVersion, Boolean> serverSide = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                .setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setKeyCertOptions(cert.keyCertOptions());
        if (OpenSSLEngineOptions.isAvailable()) {
            options.setSslEngineOptions(new OpenSSLEngineOptions());
        }
        server = vertx.createHttpServer(options).connectionHandler(conn -> {
            FlushCoalescing.install(conn);
            serverSide.put(conn.protocolVersion(), coalesces(conn));
        }).requestHandler(request -> request.response().end("ok " + request.version())).listen()
                .await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void http2ConnectionsCoalesceFlushesOnBothSidesAndStillAnswer() throws Exception {
        Map<HttpVersion, Boolean> clientSide = new ConcurrentHashMap<>();
        HttpClientAgent client = client(HttpVersion.HTTP_2, clientSide);
        List<String> bodies = Future.all(List.of(get(client), get(client), get(client)))
                .await(10, TimeUnit.SECONDS).list();
        assertThat(bodies).containsOnly("ok HTTP_2");
        assertThat(serverSide).containsEntry(HttpVersion.HTTP_2, true);
        assertThat(clientSide).containsEntry(HttpVersion.HTTP_2, true);
    }

    @Test
    void http11ConnectionsAreLeftAlone() throws Exception {
        Map<HttpVersion, Boolean> clientSide = new ConcurrentHashMap<>();
        HttpClientAgent client = client(HttpVersion.HTTP_1_1, clientSide);
        assertThat(get(client).await(10, TimeUnit.SECONDS)).isEqualTo("ok HTTP_1_1");
        assertThat(serverSide).containsEntry(HttpVersion.HTTP_1_1, false);
        assertThat(clientSide).containsEntry(HttpVersion.HTTP_1_1, false);
    }

    private HttpClientAgent client(HttpVersion version, Map<HttpVersion, Boolean> installed) {
        HttpClientOptions options = new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
                .setProtocolVersion(version).setUseAlpn(version == HttpVersion.HTTP_2);
        return vertx.httpClientBuilder().with(options).withConnectHandler(conn -> {
            FlushCoalescing.install(conn);
            installed.put(conn.protocolVersion(), coalesces(conn));
        }).build();
    }

    private Future<String> get(HttpClientAgent client) {
        return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                        .setPort(server.actualPort()).setURI("/"))
                .compose(req -> req.send().compose(resp -> resp.body().map(Object::toString)));
    }

    private static boolean coalesces(HttpConnection conn) {
        return ((ConnectionBase) conn).channelHandlerContext().pipeline().get(FlushConsolidationHandler.class) != null;
    }
}
