package dev.gatehouse.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.listen.CertificateAuthority;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * {@code GET /version} through a real upstream (TLS with a CA of its own): the gateway's own token and nothing
 * claiming a user, the document parsed, and every answer that is not a version (an error code, garbage, an endless
 * body, silence) a failed fetch the cache turns into "unknown".
 */
class UpstreamVersionSourceTest {
    @TempDir
    static Path dir;
    static Vertx vertx;
    static HttpServer server;
    static Upstream upstream;
    static final AtomicReference<String> answer = new AtomicReference<>();
    static final AtomicReference<MultiMap> saw = new AtomicReference<>();
    static final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        CertificateAuthority ca = CertificateAuthority.create("version-ca", Duration.ofDays(1));
        CertificateAuthority.WrittenFiles tls = ca.issueServer("upstream", List.of("localhost"),
                List.of("127.0.0.1"), Duration.ofDays(1)).written(dir, "upstream");
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                        .setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certificate().toString())
                                .setKeyPath(tls.privateKey().toString())))
                .requestHandler(req -> {
                    requests.incrementAndGet();
                    saw.set(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
                    String a = answer.get();
                    if (!req.path().equals("/version")) {
                        req.response().setStatusCode(404).end();
                    } else if (a.equals("silence")) {
                        return; // never answers
                    } else if (a.equals("endless")) {
                        req.response().setChunked(true);
                        vertx.setPeriodic(1, id -> {
                            if (req.response().closed() || req.response().ended()) {
                                vertx.cancelTimer(id);
                            } else {
                                req.response().write("{\"padding\":\"" + "x".repeat(8_000) + "\",");
                            }
                        });
                    } else if (a.startsWith("HTTP ")) {
                        req.response().setStatusCode(Integer.parseInt(a.substring(5))).end("{}");
                    } else {
                        req.response().putHeader("Content-Type", "application/json").end(a);
                    }
                }).listen().await();
        upstream = Upstream.create(vertx, "prod", URI.create("https://127.0.0.1:" + server.actualPort()),
                Files.readString(tls.ca()), null, null, UpstreamCredential.token("gateway-token"),
                IdentityCarrier::impersonate);
        // the first TLS handshake and h2 connection, made before any test: on a loaded machine it takes seconds, and a
        // request that outlived its test's timeout would arrive during the next test and be counted there
        answer.set("{\"major\":\"1\",\"minor\":\"0\"}");
        CompletableFuture<ClusterVersion> warm = new CompletableFuture<>();
        vertx.runOnContext(v -> new UpstreamVersionSource(Map.of("prod", upstream), Duration.ofSeconds(60))
                .fetch("prod").onComplete((ok, error) -> {
                    if (error != null) {
                        warm.completeExceptionally(error);
                    } else {
                        warm.complete(ok);
                    }
                }));
        warm.get(90, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        upstream.close();
        vertx.close().await();
    }

    /** Asks on a Vert.x context, as the hold stage does. */
    private static Optional<ClusterVersion> ask(ClusterVersions versions, String cluster) throws Exception {
        CompletableFuture<Optional<ClusterVersion>> result = new CompletableFuture<>();
        vertx.runOnContext(v -> versions.version(cluster).onComplete((ok, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(ok);
            }
        }));
        return result.get(15, TimeUnit.SECONDS);
    }

    private static ClusterVersions versions() {
        return ClusterVersions.of(Map.of("prod", upstream), new ClusterVersions.Settings(Duration.ofMinutes(10),
                Duration.ofMinutes(10), Duration.ofSeconds(5))); // 5 s: a first TLS handshake on a loaded machine takes seconds
    }

    @Test
    void asksAsTheGatewayItselfAndReadsTheVersion() throws Exception {
        answer.set("{\"major\":\"1\",\"minor\":\"20+\",\"gitVersion\":\"v1.20.2\",\"platform\":\"linux/amd64\"}");
        assertThat(ask(versions(), "prod")).contains(new ClusterVersion(1, 20, "v1.20.2"));
        assertThat(saw.get().get("Authorization")).isEqualTo("Bearer gateway-token");
        assertThat(saw.get().names()).noneMatch(name -> name.toLowerCase().startsWith("impersonate-"));
    }

    @Test
    void theVersionIsAskedOnceForManyCallers() throws Exception {
        answer.set("{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0\"}");
        ClusterVersions versions = versions();
        int before = requests.get();
        for (int i = 0; i < 5; i++) {
            assertThat(ask(versions, "prod")).contains(new ClusterVersion(1, 32, "v1.32.0"));
        }
        assertThat(requests.get() - before).isEqualTo(1);
    }

    @Test
    void anErrorCodeIsUnknown() throws Exception {
        answer.set("HTTP 403");
        assertThat(ask(versions(), "prod")).isEmpty();
    }

    @Test
    void aDocumentWithoutAVersionIsUnknown() throws Exception {
        answer.set("<html>login</html>");
        assertThat(ask(versions(), "prod")).isEmpty();
    }

    @Test
    void anEndlessBodyIsCutAndUnknown() throws Exception {
        answer.set("endless");
        assertThat(ask(versions(), "prod")).isEmpty();
    }

    @Test
    void aSilentClusterIsUnknownAfterTheTimeout() throws Exception {
        answer.set("silence");
        long start = System.nanoTime();
        assertThat(ask(versions(), "prod")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anUnknownClusterIsUnknown() throws Exception {
        assertThat(ask(versions(), "nope")).isEmpty();
    }
}
