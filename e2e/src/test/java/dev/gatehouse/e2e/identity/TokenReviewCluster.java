package dev.gatehouse.e2e.identity;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.gatehouse.listen.CertificateAuthority;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * The service-account side of a cluster, on loopback over TLS: it signs service-account tokens the way
 * kube-apiserver does ({@code iss https://kubernetes.default.svc.cluster.local}, {@code kubernetes.io}
 * claims) and answers {@code POST /apis/authentication.k8s.io/v1/tokenreviews} from a caller holding its
 * reviewer token, verifying the token's signature and expiry itself. It records the reviews it answered.
 */
final class TokenReviewCluster implements AutoCloseable {
    static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final HttpServer server;
    private final ECKey signingKey;
    private final String reviewerToken;
    private final CertificateAuthority.WrittenFiles tls;
    private final List<JsonNode> reviews = new CopyOnWriteArrayList<>();

    private TokenReviewCluster(Path dir, String reviewerToken) throws Exception {
        this.reviewerToken = reviewerToken;
        this.signingKey = new ECKeyGenerator(Curve.P_256).keyID("sa-1").generate();
        this.tls = CertificateAuthority.create("e2e-sa-cluster-ca", Duration.ofDays(1))
                .issueServer("sa-cluster", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .written(dir, "sa-cluster");
        this.vertx = Vertx.vertx();
        this.server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(
                        new PemKeyCertOptions().setCertPath(tls.certificate().toString())
                                .setKeyPath(tls.privateKey().toString())))
                .requestHandler(this::handle)
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static TokenReviewCluster start(Path dir, String reviewerToken) {
        try {
            return new TokenReviewCluster(dir, reviewerToken);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the token-review cluster", e);
        }
    }

    String url() {
        return "https://127.0.0.1:" + server.actualPort();
    }

    Path caFile() {
        return tls.ca();
    }

    /** The reviews answered so far (their {@code spec}, token included: this is the token's own issuer). */
    List<JsonNode> reviews() {
        return List.copyOf(reviews);
    }

    /** A bound service-account token for {@code namespace/name}, as the TokenRequest API would issue it. */
    String serviceAccountToken(String namespace, String name, long lifetimeSeconds) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(ISSUER)
                .subject("system:serviceaccount:" + namespace + ":" + name).issueTime(Date.from(now))
                .notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(lifetimeSeconds)))
                .jwtID(UUID.randomUUID().toString())
                .claim("kubernetes.io", Map.of("namespace", namespace,
                        "serviceaccount", Map.of("name", name, "uid", uid(namespace, name))))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID()).build(),
                claims);
        try {
            jwt.sign(new ECDSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    static String uid(String namespace, String name) {
        return UUID.nameUUIDFromBytes((namespace + "/" + name).getBytes()).toString();
    }

    private void handle(HttpServerRequest request) {
        if (!request.path().equals("/apis/authentication.k8s.io/v1/tokenreviews") || !"POST".equals(request.method().name())) {
            request.response().setStatusCode(404).end();
            return;
        }
        if (!("Bearer " + reviewerToken).equals(request.getHeader("Authorization"))) {
            request.response().setStatusCode(401).end();
            return;
        }
        request.body().onSuccess(body -> {
            try {
                JsonNode review = JSON.readTree(body.getBytes());
                reviews.add(review.path("spec"));
                ObjectNode answer = JSON.createObjectNode().put("apiVersion", "authentication.k8s.io/v1")
                        .put("kind", "TokenReview");
                answer.set("status", status(review.path("spec")));
                request.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                        .end(answer.toString());
            } catch (Exception e) {
                request.response().setStatusCode(400).end();
            }
        });
    }

    private ObjectNode status(JsonNode spec) throws Exception {
        ObjectNode status = JSON.createObjectNode();
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(spec.path("token").asText());
            claims = jwt.getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            return status.put("authenticated", false).put("error", "not a JWT");
        }
        List<String> requested = JSON.convertValue(spec.path("audiences"), JSON.getTypeFactory()
                .constructCollectionType(List.class, String.class));
        List<String> audiences = requested == null || requested.isEmpty() ? List.of(ISSUER)
                : requested.stream().filter(claims.getAudience()::contains).toList();
        if (!jwt.verify(new ECDSAVerifier(signingKey.toECPublicKey())) || !ISSUER.equals(claims.getIssuer())
                || claims.getExpirationTime().toInstant().isBefore(Instant.now()) || audiences.isEmpty()) {
            return status.put("authenticated", false).put("error", "invalid bearer token");
        }
        String[] parts = claims.getSubject().split(":");
        status.put("authenticated", true);
        ObjectNode user = status.putObject("user").put("username", claims.getSubject())
                .put("uid", uid(parts[2], parts[3]));
        user.putArray("groups").add("system:serviceaccounts").add("system:serviceaccounts:" + parts[2])
                .add("system:authenticated");
        user.putObject("extra").putArray("authentication.kubernetes.io/credential-id").add("JTI=" + claims.getJWTID());
        audiences.forEach(status.putArray("audiences")::add);
        return status;
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
