package dev.gatehouse.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.chain.Evidence;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.classify.Query;
import dev.gatehouse.classify.RequestInfoParser;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.mask.MaskKeys;
import dev.gatehouse.mask.MaskingChoice;
import dev.gatehouse.mask.RequestBodies;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * A streamed write body over real sockets: it reaches the cluster whole and unchanged, chunk by chunk, while the
 * forwarder's tap keeps the bounded copy the record is made of — masked where it hides a Secret, a marker with the
 * body's SHA-256 when it is longer than the bound.
 */
class ForwarderRequestBodyTest {
    static final String VALUE = "str3amed-S3cret-v4lue";

    @TempDir
    static Path dir;
    static Vertx vertx;
    static HttpServer upstreamServer;
    static HttpServer gateway;
    static HttpClientAgent client;
    static RequestBodies bodies;
    static final Map<String, byte[]> upstreamGot = new ConcurrentHashMap<>();
    static final Map<String, JsonNode> recorded = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        CertificateAuthority ca = CertificateAuthority.create("upstream-ca", Duration.ofDays(1));
        CertificateAuthority.WrittenFiles tls = ca.issueServer("upstream", List.of("localhost"),
                List.of("127.0.0.1"), Duration.ofDays(1)).written(dir, "upstream");
        upstreamServer = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                        .setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certificate().toString())
                                .setKeyPath(tls.privateKey().toString())))
                .requestHandler(req -> req.body().onSuccess(body -> {
                    upstreamGot.put(req.path(), body.getBytes());
                    req.response().setStatusCode(201).putHeader("Content-Type", "application/json").end("{}");
                })).listen().await();
        Upstream upstream = Upstream.create(vertx, "c", URI.create("https://127.0.0.1:" + upstreamServer.actualPort()),
                Files.readString(tls.ca()), null, null, UpstreamCredential.token("t"), credential -> new IdentityCarrier() {
                    @Override
                    public String mode() {
                        return "test";
                    }

                    @Override
                    public void carry(Exchange exchange, MultiMap headers) {
                        headers.set("Authorization", "Bearer " + credential.bearerToken());
                    }
                });
        MaskKeys keys = MaskKeys.open(dir.resolve("data"));
        bodies = new RequestBodies(keys);
        Evidence evidence = new Evidence() {
            @Override
            public Future<Void> started(Exchange exchange, Map<String, String> details) {
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> completed(Exchange exchange, int code, long bytesIn, long bytesOut, String note,
                                          Map<String, String> details) {
                recorded.put(exchange.upstreamPath(), bodies.requestObject(exchange));
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> refused(Exchange exchange, dev.gatehouse.status.KubeStatus status, long bytesIn) {
                return Future.succeededFuture(); // no chain here: the forwarder is driven directly
            }
        };
        Forwarder forwarder = new Forwarder(vertx, Map.of("c", upstream), evidence, Duration.ofMinutes(1),
                Duration.ofSeconds(10), new MaskingChoice(keys));
        gateway = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(req -> {
                    req.pause();
                    Exchange exchange = new Exchange(RequestHead.of(req));
                    exchange.target("c", req.path());
                    exchange.query(Query.parse(""));
                    exchange.info(new RequestInfoParser().parse("c", req.method().name(), req.path(), Query.parse("")));
                    forwarder.forward(exchange, req);
                }).listen().await();
        client = vertx.createHttpClient();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    /** Sends {@code body} in 1 KiB chunks (chunked transfer encoding). */
    static void post(String path, byte[] body) {
        client.request(HttpMethod.POST, gateway.actualPort(), "127.0.0.1", path).compose(req -> {
            req.setChunked(true).putHeader("Content-Type", "application/json");
            for (int at = 0; at < body.length; at += 1024) {
                req.write(Buffer.buffer(java.util.Arrays.copyOfRange(body, at, Math.min(body.length, at + 1024))));
            }
            return req.end().compose(v -> req.response()).compose(resp -> resp.body());
        }).await();
    }

    @Test
    void forwardsAStreamedListHidingASecretUnchangedAndRecordsItMasked() {
        String path = "/api/v1/namespaces/p/configmaps";
        String encoded = Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8));
        String body = "{\"kind\":\"List\",\"items\":[{\"kind\":\"ConfigMap\",\"data\":{\"color\":\"blue\"}},"
                + "{\"kind\":\"Secret\",\"data\":{\"k\":\"" + encoded + "\"},\"padding\":\"" + "x".repeat(5000)
                + "\"}]}";
        post(path, body.getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(10)).until(() -> recorded.containsKey(path));
        assertThat(upstreamGot.get(path)).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
        JsonNode record = recorded.get(path);
        assertThat(record.path("items").get(0).path("data").path("color").asText()).isEqualTo("blue");
        assertThat(record.path("items").get(1).path("data").path("k").asText()).startsWith("Z2F0ZWhvdXNlOm1hc2tlZDpo");
        assertThat(record.toString()).doesNotContain(VALUE).doesNotContain(encoded);
    }

    @Test
    void forwardsABodyOverTheBoundWholeAndRecordsOnlyItsSizeAndHash() throws Exception {
        String path = "/api/v1/namespaces/p/configmaps/big";
        byte[] body = ("{\"kind\":\"ConfigMap\",\"data\":{\"blob\":\""
                + "y".repeat(RequestBodies.MAX_RECORDED_BYTES + 10) + "\"}}").getBytes(StandardCharsets.UTF_8);
        client.request(HttpMethod.PUT, gateway.actualPort(), "127.0.0.1", path).compose(req -> {
            req.setChunked(true).putHeader("Content-Type", "application/json");
            for (int at = 0; at < body.length; at += 16384) {
                req.write(Buffer.buffer(java.util.Arrays.copyOfRange(body, at, Math.min(body.length, at + 16384))));
            }
            return req.end().compose(v -> req.response()).compose(resp -> resp.body());
        }).await();

        await().atMost(Duration.ofSeconds(10)).until(() -> recorded.containsKey(path));
        assertThat(upstreamGot.get(path)).isEqualTo(body);
        JsonNode about = recorded.get(path).path(RequestBodies.UNRECORDED);
        assertThat(about.path("bytes").asLong()).isEqualTo(body.length);
        assertThat(about.path("sha256").asText()).isEqualTo(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        assertThat(about.path("reason").asText()).startsWith("longer than");
    }
}
