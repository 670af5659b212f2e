package dev.gatehouse.chain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.gatehouse.listen.CertificateAuthority;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;

/** A TLS upstream for chain tests: answers a few paths and records what it received. */
final class FakeUpstream implements AutoCloseable {
    record Received(String method, String uri, MultiMap headers, long bodyBytes) {
    }

    static final String TOKEN = "gateway-credential-for-upstream";
    final List<Received> received = new CopyOnWriteArrayList<>();
    final CertificateAuthority.WrittenFiles tls;
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    final Map<String, HttpServerResponse> watches = new ConcurrentHashMap<>();

    FakeUpstream(Path dir) {
        CertificateAuthority ca = CertificateAuthority.create("upstream-ca", Duration.ofDays(1));
        tls = ca.issueServer("upstream", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .written(dir, "upstream");
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                .setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certificate().toString())
                        .setKeyPath(tls.privateKey().toString()));
        server = vertx.createHttpServer(options).requestHandler(req -> {
            MultiMap copy = HttpHeaders.headers().addAll(req.headers());
            req.body().onSuccess(body -> {
                received.add(new Received(req.method().name(), req.uri(), copy, body.length()));
                HttpServerResponse resp = req.response().putHeader("Content-Type", "application/json");
                if (!("Bearer " + TOKEN).equals(req.getHeader("Authorization"))) {
                    resp.setStatusCode(401).end("{\"kind\":\"Status\",\"code\":401}");
                } else if (req.path().equals("/silent")) {
                    return; // never answers: the gateway must time out
                } else if ("true".equals(req.getParam("watch"))) {
                    resp.setChunked(true);
                    watches.put(req.getHeader("Audit-ID"), resp);
                    resp.write("{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"}}}\n");
                } else if (req.method().name().equals("POST")) {
                    resp.setStatusCode(201).end("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}");
                } else {
                    resp.end("{\"kind\":\"PodList\",\"items\":[]}");
                }
            });
        });
        server.listen().await();
    }

    String url() {
        return "https://127.0.0.1:" + server.actualPort();
    }

    List<Received> receivedFor(String auditId) {
        return received.stream().filter(r -> auditId.equals(r.headers().get("Audit-ID"))).toList();
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
