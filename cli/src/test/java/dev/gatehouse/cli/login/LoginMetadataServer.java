package dev.gatehouse.cli.login;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.authn.oidc.LoginMetadataEndpoint;
import dev.gatehouse.authn.oidc.OidcIssuerConfig;
import dev.gatehouse.sandbox.idp.SandboxIdentityProvider;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * The gateway as {@code gatehouse login} sees it, on loopback over plain HTTP: the gateway's own login metadata
 * endpoint for the sandbox IdP (scopes openid, profile, email, offline_access; clusters prod and staging) and a 404
 * for everything else.
 */
final class LoginMetadataServer implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;

    private LoginMetadataServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Serves the login metadata for {@code people}, the sandbox IdP's issuer. */
    static LoginMetadataServer start(OidcIssuerConfig people) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            LoginMetadataEndpoint endpoint = new LoginMetadataEndpoint(people, SandboxIdentityProvider.CLIENT_ID,
                    List.of("openid", "profile", "email", "offline_access"), () -> List.of("prod", "staging"));
            HttpServer server = vertx.createHttpServer().requestHandler(req -> {
                if (!endpoint.handle(req)) {
                    req.response().setStatusCode(404).end();
                }
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return new LoginMetadataServer(vertx, server);
        } catch (Exception e) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The Vert.x instance it runs on, for the gateway-side checks a test makes. */
    Vertx vertx() {
        return vertx;
    }

    /** What {@code gatehouse login --server} is given: {@code http://127.0.0.1:<port>}. */
    String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
