package dev.gatehouse.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.authn.serviceaccount.TokenReviewStatus;
import dev.gatehouse.listen.CertificateAuthority;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * TokenReviews through a real upstream (TLS with a CA of its own, h2): posted as the gateway itself with the
 * cluster's credential, the review's spec as the API defines it, the status read; a refused credential, an error,
 * garbage and an endless answer are failures the authenticator turns into 503.
 */
class UpstreamTokenReviewerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Vertx vertx;
    static HttpServer server;
    static Upstream upstream;
    static final AtomicReference<String> answer = new AtomicReference<>();
    static final AtomicReference<MultiMap> saw = new AtomicReference<>();
    static final AtomicReference<JsonNode> posted = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        CertificateAuthority ca = CertificateAuthority.create("review-ca", Duration.ofDays(1));
        CertificateAuthority.WrittenFiles tls = ca.issueServer("upstream", List.of("localhost"),
                List.of("127.0.0.1"), Duration.ofDays(1)).written(dir, "upstream");
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                        .setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certificate().toString())
                                .setKeyPath(tls.privateKey().toString())))
                .requestHandler(req -> {
                    saw.set(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
                    if (!req.path().equals(TokenReviewStatus.PATH) || !req.method().name().equals("POST")) {
                        req.response().setStatusCode(404).end();
                        return;
                    }
                    req.body().onSuccess(body -> {
                        try {
                            posted.set(JSON.readTree(body.getBytes()));
                        } catch (Exception e) {
                            posted.set(null);
                        }
                        String a = answer.get();
                        if (a.equals("endless")) {
                            req.response().setChunked(true);
                            vertx.setPeriodic(1, id -> {
                                if (req.response().closed() || req.response().ended()) {
                                    vertx.cancelTimer(id);
                                } else {
                                    req.response().write("x".repeat(8_000));
                                }
                            });
                        } else if (a.startsWith("HTTP ")) {
                            req.response().setStatusCode(Integer.parseInt(a.substring(5))).end("{}");
                        } else {
                            req.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(a);
                        }
                    });
                }).listen().await();
        upstream = Upstream.create(vertx, "prod", URI.create("https://127.0.0.1:" + server.actualPort()),
                Files.readString(tls.ca()), null, null, UpstreamCredential.token("gateway-token"),
                IdentityCarrier::impersonate);
        // the first TLS handshake and h2 connection before any test, with time to spare on a loaded machine
        answer.set("{\"status\":{\"authenticated\":false}}");
        review("warm-up", List.of(), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        upstream.close();
        vertx.close().await();
    }

    /** Reviews on a Vert.x context, as the authenticate stage does. */
    private static TokenReviewStatus review(String token, List<String> audiences) throws Exception {
        return review(token, audiences, Duration.ofSeconds(5));
    }

    private static TokenReviewStatus review(String token, List<String> audiences, Duration timeout) throws Exception {
        UpstreamTokenReviewer reviewer = new UpstreamTokenReviewer(upstream, timeout);
        CompletableFuture<TokenReviewStatus> result = new CompletableFuture<>();
        vertx.runOnContext(v -> reviewer.review(token, audiences).onComplete((ok, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(ok);
            }
        }));
        try {
            return result.get(timeout.toSeconds() + 30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void postsTheReviewAsTheGatewayItselfAndReadsTheStatus() throws Exception {
        answer.set("""
                {"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","status":{"authenticated":true,
                 "audiences":["gatehouse"],"user":{"username":"system:serviceaccount:ci:deployer","uid":"7f1c",
                 "groups":["system:serviceaccounts"],"extra":{"authentication.kubernetes.io/pod-name":["runner-1"]}}}}""");
        TokenReviewStatus status = review("sa-token", List.of("gatehouse"));
        assertThat(status.authenticated()).isTrue();
        assertThat(status.username()).isEqualTo("system:serviceaccount:ci:deployer");
        assertThat(status.extra()).containsEntry("authentication.kubernetes.io/pod-name", List.of("runner-1"));
        assertThat(saw.get().get("Authorization")).isEqualTo("Bearer gateway-token");
        assertThat(saw.get().names()).noneMatch(name -> name.toLowerCase().startsWith("impersonate-"));
        assertThat(posted.get().path("kind").asText()).isEqualTo("TokenReview");
        assertThat(posted.get().path("spec").path("token").asText()).isEqualTo("sa-token");
        assertThat(posted.get().path("spec").path("audiences").get(0).asText()).isEqualTo("gatehouse");
    }

    @Test
    void aTokenTheClusterRefusesIsAnAnswer() throws Exception {
        answer.set("{\"status\":{\"authenticated\":false,\"error\":\"invalid bearer token\"}}");
        TokenReviewStatus status = review("forged", List.of());
        assertThat(status.authenticated()).isFalse();
        assertThat(status.error()).isEqualTo("invalid bearer token");
        assertThat(posted.get().path("spec").has("audiences")).as("no audiences: the API server's own").isFalse();
    }

    @Test
    void aRefusedGatewayCredentialIsAFailureSayingSo() {
        answer.set("HTTP 403");
        assertThatThrownBy(() -> review("t", List.of()))
                .hasMessage("cluster prod: the gateway's credential may not create TokenReviews (403)");
        answer.set("HTTP 500");
        assertThatThrownBy(() -> review("t", List.of()))
                .hasMessageContaining("POST " + TokenReviewStatus.PATH + " answered HTTP 500");
    }

    @Test
    void garbageAndEndlessAnswersFail() {
        answer.set("<html>not a review</html>");
        assertThatThrownBy(() -> review("t", List.of())).hasMessage("the TokenReview answer is not JSON");
        answer.set("endless");
        assertThatThrownBy(() -> review("t", List.of())).hasMessageContaining("answered more than 65536 bytes");
    }
}
