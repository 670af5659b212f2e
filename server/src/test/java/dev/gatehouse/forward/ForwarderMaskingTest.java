package dev.gatehouse.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.chain.Evidence;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.classify.Query;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.mask.MaskKeys;
import dev.gatehouse.mask.MaskingChoice;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * The forwarder with the masking choice in its transform slot, over real sockets: a TLS upstream serving Secrets in
 * JSON, protobuf and broken JSON, and a ConfigMap in protobuf; the evidence a fake that keeps each completed note.
 */
class ForwarderMaskingTest {
    static final String VALUE = "hunter2-s3cret";
    static final String SECRET = "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"},\"data\":{\"password\":\""
            + Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8)) + "\"}}\n";
    static final byte[] PROTOBUF = "k8s\0\n\u0002v1\u0012\u0006Secret hunter2-s3cret".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    static Vertx vertx;
    static HttpServer upstreamServer;
    static HttpServer gateway;
    static HttpClientAgent client;
    static final Map<String, MultiMap> upstreamSaw = new ConcurrentHashMap<>();
    static final Map<String, String> notes = new ConcurrentHashMap<>();

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
                .requestHandler(req -> {
                    upstreamSaw.put(req.path(), HttpHeaders.headers().addAll(req.headers()));
                    switch (req.path().substring(req.path().lastIndexOf('/') + 1)) {
                        case "json" -> req.response().putHeader("Content-Type", "application/json").end(SECRET);
                        case "broken" -> req.response().putHeader("Content-Type", "application/json")
                                .end(SECRET.substring(0, 40) + "]" + SECRET.substring(40));
                        default -> req.response().putHeader("Content-Type", "application/vnd.kubernetes.protobuf")
                                .end(Buffer.buffer(PROTOBUF));
                    }
                }).listen().await();
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
        Evidence evidence = new Evidence() {
            @Override
            public Future<Void> started(Exchange exchange, Map<String, String> details) {
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> completed(Exchange exchange, int code, long bytesIn, long bytesOut, String note,
                                          Map<String, String> details) {
                notes.put(exchange.upstreamPath(), note == null ? "" : note);
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> refused(Exchange exchange, dev.gatehouse.status.KubeStatus status, long bytesIn) {
                return Future.succeededFuture(); // the forwarder never refuses through this: the chain does
            }
        };
        Forwarder forwarder = new Forwarder(vertx, Map.of("c", upstream), evidence, Duration.ofMinutes(1),
                Duration.ofSeconds(10), new MaskingChoice(MaskKeys.open(dir.resolve("data"))));
        gateway = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(req -> {
                    req.pause();
                    Exchange exchange = new Exchange(RequestHead.of(req));
                    String[] parts = req.path().split("/");
                    exchange.target("c", req.path());
                    exchange.query(Query.parse(""));
                    exchange.info(new RequestInfo("c", req.path(), true, "get", "api", "", "v1", parts[4], parts[5],
                            "", parts[6]));
                    forwarder.forward(exchange, req).onFailure(e -> {
                        GatewayException refused = (GatewayException) e;
                        notes.put(req.path(), "refused: " + refused.getMessage());
                        req.response().setStatusCode(refused.status().code())
                                .putHeader("Content-Type", "application/json").end(refused.status().toJson());
                    });
                }).listen().await();
        client = vertx.createHttpClient();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    record Answer(int code, Buffer body, MultiMap headers) {
    }

    static Answer within10s(Future<Answer> answer) {
        try {
            return answer.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Future<Answer> get(String path, String accept) {
        return client.request(HttpMethod.GET, gateway.actualPort(), "127.0.0.1", path)
                .compose(req -> req.putHeader("Accept", accept).putHeader("Accept-Encoding", "gzip").send()
                        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b, resp.headers()))));
    }

    @Test
    void masksASecretAndAsksTheClusterForJson() {
        Answer answer = within10s(get("/api/v1/namespaces/p/secrets/json", 
                "application/vnd.kubernetes.protobuf,application/json"));

        assertThat(answer.code()).isEqualTo(200);
        assertThat(answer.body().toString()).contains("\"password\":\"Z2F0ZWhvdXNlOm1hc2tlZDpo")
                .doesNotContain(Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8)));
        assertThat(upstreamSaw.get("/api/v1/namespaces/p/secrets/json").get("Accept")).isEqualTo("application/json");
        assertThat(upstreamSaw.get("/api/v1/namespaces/p/secrets/json").get("Accept-Encoding")).isEqualTo("identity");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(notes.get("/api/v1/namespaces/p/secrets/json")).isEmpty());
    }

    @Test
    void refusesAProtobufSecretWithAStatusAndNotOneByteOfIt() {
        Answer answer = within10s(get("/api/v1/namespaces/p/secrets/proto", "application/json"));

        assertThat(answer.code()).isEqualTo(502);
        assertThat(answer.body().toString()).contains("\"kind\":\"Status\"")
                .contains("cannot mask application/vnd.kubernetes.protobuf responses for secrets")
                .doesNotContain("hunter2");
    }

    @Test
    void resetsAResponseItCannotMaskAndRecordsWhy() {
        Future<Answer> answer = get("/api/v1/namespaces/p/secrets/broken", "application/json");

        await().atMost(Duration.ofSeconds(10)).until(() -> answer.isComplete());
        if (answer.succeeded()) {
            assertThat(answer.result().body().toString()).doesNotContain("hunter2").doesNotContain("aHVudGVy");
        }
        assertThat(answer.failed()).as("the client must not see a complete response").isTrue();
        assertThat(notes.get("/api/v1/namespaces/p/secrets/broken")).startsWith("masking failed: ");
    }

    @Test
    void passesOtherResourcesByteForByte() {
        Answer answer = within10s(get("/api/v1/namespaces/p/configmaps/proto", "application/vnd.kubernetes.protobuf"));

        assertThat(answer.code()).isEqualTo(200);
        assertThat(answer.body().getBytes()).isEqualTo(PROTOBUF);
        assertThat(upstreamSaw.get("/api/v1/namespaces/p/configmaps/proto").get("Accept"))
                .isEqualTo("application/vnd.kubernetes.protobuf");
    }
}
