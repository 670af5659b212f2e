package dev.gatehouse.authn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

class AuthenticateStageTest {
    static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln";

    static Exchange exchange(String authorization) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (authorization != null) {
            headers.add("Authorization", authorization);
        }
        return new Exchange(new RequestHead("GET", "/clusters/prod/api", "", headers, "127.0.0.1", false));
    }

    static Throwable refusal(Authenticator authenticator, Exchange exchange) throws Exception {
        Future<Void> result = new AuthenticateStage(authenticator).apply(exchange);
        try {
            result.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a refusal");
    }

    static Identity identity(Instant expiresAt) {
        return new Identity("corp:alice", "", List.of(), "https://idp", AuthenticationMethod.OIDC, List.of(), Map.of(),
                "jti:abc", expiresAt);
    }

    @Test
    void refusesATokenNoMechanismKnowsAndNamesItByFingerprint() throws Exception {
        Exchange exchange = exchange("Bearer " + TOKEN);
        Authenticator nested = new UnionAuthenticator(List.of(new UnionAuthenticator(List.of(
                c -> Future.succeededFuture(AuthenticationResult.abstain())))));

        Throwable error = refusal(nested, exchange);

        assertThat(((GatewayException) error).status().code()).isEqualTo(401);
        assertThat(error.getMessage()).contains("not recognised by any configured authenticator");
        assertThat(exchange.refusedCredential()).isEqualTo(TokenFingerprint.of(TOKEN));
    }

    @Test
    void refusesAVerifiedButExpiredIdentityAndNamesItsCredential() throws Exception {
        Exchange exchange = exchange("Bearer " + TOKEN);
        Throwable error = refusal(c -> Future.succeededFuture(new AuthenticationResult.Authenticated(
                identity(Instant.now().minusSeconds(5)))), exchange);

        assertThat(error.getMessage()).contains("the token has expired");
        assertThat(exchange.refusedCredential()).isEqualTo("jti:abc");
        assertThat(exchange.identity()).isNull();
    }

    @Test
    void acceptsAVerifiedIdentity() throws Exception {
        Exchange exchange = exchange("Bearer " + TOKEN);
        new AuthenticateStage(c -> Future.succeededFuture(new AuthenticationResult.Authenticated(
                identity(Instant.now().plusSeconds(60))))).apply(exchange)
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(exchange.identity().user()).isEqualTo("corp:alice");
    }
}
