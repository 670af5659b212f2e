package dev.gatehouse.api;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.review.Requester;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * The reviews API over {@link FakeReviews} on loopback TLS (HTTP/2 and HTTP/1.1), for the API's and the CLI's tests.
 * Tokens are the user's name + {@code -token}: alice and erin (developers) ask, bob and dave (sre) approve, carol
 * (auditors) reads everything, mallory is nobody; {@code expired-token} is alice's, past its expiry. Grants need
 * one sre approval.
 */
public final class ReviewApiServer implements AutoCloseable {
    public static final Map<String, Identity> USERS = Map.of(
            "alice-token", person("alice", "developers"),
            "erin-token", person("erin", "developers"),
            "bob-token", person("bob", "sre"),
            "dave-token", person("dave", "sre"),
            "carol-token", person("carol", "auditors"),
            "mallory-token", person("mallory", "visitors"));

    private final Vertx vertx;
    private final HttpServer server;
    private final FakeReviews reviews;
    private final Path ca;

    private ReviewApiServer(Vertx vertx, HttpServer server, FakeReviews reviews, Path ca) {
        this.vertx = vertx;
        this.server = server;
        this.reviews = reviews;
        this.ca = ca;
    }

    /** Starts on a free port; the TLS material goes to {@code dir}. */
    public static ReviewApiServer start(Path dir) throws Exception {
        CertificateAuthority.WrittenFiles tls = CertificateAuthority.create("reviews-ca", Duration.ofDays(1))
                .issueServer("gateway", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .written(dir, "server");
        Vertx vertx = Vertx.vertx();
        FakeReviews reviews = new FakeReviews(FakeReviews.requirement(1, "sre"), Clock.systemUTC());
        ReviewApi api = new ReviewApi(vertx, ReviewApiServer::authenticate, reviews,
                EvidenceReaders.of(List.of("auditors"), List.of()), ReviewApi.Settings.defaults());
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certificate().toString())
                        .setKeyPath(tls.privateKey().toString()));
        try {
            HttpServer server = vertx.createHttpServer(options).requestHandler(request -> {
                if (!api.handle(request)) {
                    request.response().setStatusCode(404).end("not here");
                }
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return new ReviewApiServer(vertx, server, reviews, tls.ca());
        } catch (Exception e) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The service behind the API, to open reviews and look at what a call changed. */
    public FakeReviews reviews() {
        return reviews;
    }

    /** {@code https://127.0.0.1:<port>} */
    public String url() {
        return "https://127.0.0.1:" + server.actualPort();
    }

    public int port() {
        return server.actualPort();
    }

    /** The CA that signed the server's certificate. */
    public Path ca() {
        return ca;
    }

    /** The requester a user's token stands for. */
    public static Requester requester(String user) {
        return Requester.of(USERS.get(user + "-token"));
    }

    private static Future<AuthenticationResult> authenticate(dev.gatehouse.authn.Credential credential) {
        if (credential.bearerToken().equals("expired-token")) {
            Identity alice = USERS.get("alice-token");
            return Future.succeededFuture(new AuthenticationResult.Authenticated(new Identity(alice.user(),
                    alice.uid(), alice.groups(), alice.issuer(), alice.method(), List.of(), Map.of(), "jti-expired",
                    Instant.now().minusSeconds(60))));
        }
        Identity identity = USERS.get(credential.bearerToken());
        return Future.succeededFuture(identity == null ? new AuthenticationResult.Abstain()
                : new AuthenticationResult.Authenticated(identity));
    }

    private static Identity person(String user, String group) {
        return new Identity(user, "uid-" + user, List.of(group), "tokens.csv", AuthenticationMethod.STATIC_TOKEN,
                List.of(), Map.of(), "sha256:" + user, null);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
