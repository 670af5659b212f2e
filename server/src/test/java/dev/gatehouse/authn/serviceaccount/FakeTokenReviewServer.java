package dev.gatehouse.authn.serviceaccount;

import static dev.gatehouse.authn.oidc.TestTokens.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.listen.CertificateAuthority;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

/** A TokenReview endpoint on loopback over TLS, answering from a table of tokens. */
final class FakeTokenReviewServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final Map<String, String> statusByToken = new ConcurrentHashMap<>();
    final List<JsonNode> reviews = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final Path caFile;
    final HttpServer server;
    volatile int failWith;

    FakeTokenReviewServer(Vertx vertx, Path dir) {
        CertificateAuthority ca = CertificateAuthority.create("test-ca", Duration.ofDays(1));
        CertificateAuthority.Issued issued = ca.issueServer("apiserver", List.of("localhost"),
                List.of("127.0.0.1"), Duration.ofDays(1));
        CertificateAuthority.WrittenFiles files = issued.written(dir, "apiserver");
        this.caFile = files.ca();
        // Vert.x reads PKCS#8 ("BEGIN PRIVATE KEY"); the CA writes the key in the SEC1 form.
        String pkcs8 = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                issued.keyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(files.certificate().toString())
                        .setKeyValue(io.vertx.core.buffer.Buffer.buffer(pkcs8)));
        this.server = await(vertx.createHttpServer(options).requestHandler(req -> {
            if (!req.path().equals(TokenReviewClient.PATH) || !req.method().name().equals("POST")) {
                req.response().setStatusCode(404).end();
                return;
            }
            authorizations.add(String.valueOf(req.getHeader("Authorization")));
            if (failWith != 0) {
                req.response().setStatusCode(failWith).end();
                return;
            }
            req.body().onSuccess(body -> {
                try {
                    JsonNode review = JSON.readTree(body.getBytes());
                    reviews.add(review);
                    String status = statusByToken.getOrDefault(review.path("spec").path("token").asText(),
                            "{\"authenticated\":false,\"error\":\"invalid bearer token\"}");
                    req.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                            .end("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"status\":"
                                    + status + "}");
                } catch (Exception e) {
                    req.response().setStatusCode(400).end();
                }
            });
        }).listen());
    }

    String url() {
        return "https://127.0.0.1:" + server.actualPort();
    }

    @Override
    public void close() {
        await(server.close());
    }
}
