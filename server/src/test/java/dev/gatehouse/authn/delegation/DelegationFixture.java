package dev.gatehouse.authn.delegation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.authn.UnionAuthenticator;
import dev.gatehouse.authn.oidc.JwksCache;
import dev.gatehouse.authn.oidc.MutableClock;
import dev.gatehouse.authn.oidc.OidcAuthenticator;
import dev.gatehouse.authn.oidc.OidcIssuerConfig;
import dev.gatehouse.authn.oidc.TestTokens;
import io.vertx.core.Future;

/** A gateway's worth of authentication in memory: one OIDC issuer, the Gatehouse issuer, the exchange. */
final class DelegationFixture {
    static final String IDP = "https://idp.example.com";
    static final String GATEHOUSE = "https://gatehouse.example.com";
    static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");

    final MutableClock clock = new MutableClock(NOW);
    final RSAKey idpKey = TestTokens.rsaKey("idp-1");
    final GatehouseIssuer issuer = new GatehouseIssuer(GATEHOUSE, GatehouseSigningKeys.inMemory());
    final DelegatedTokenAuthenticator delegated = new DelegatedTokenAuthenticator(issuer, clock);
    final Authenticator union;
    final TokenExchange exchange;

    DelegationFixture() {
        OidcIssuerConfig config = OidcIssuerConfig.builder("authentication.oidc[0]").issuerUrl(IDP)
                .audiences(List.of("gatehouse")).usernamePrefix("corp:").build();
        JwksCache keys = JwksCache.preloaded(new JWKSet(idpKey.toPublicJWK()),
                () -> Future.failedFuture("no refetch in tests"), Duration.ofSeconds(10));
        union = new UnionAuthenticator(List.of(new OidcAuthenticator(config, keys, clock), delegated));
        exchange = new TokenExchange(issuer, union, Duration.ofMinutes(5), clock);
    }

    /** An IdP token for {@code subject}, valid for {@code seconds}. */
    String idpToken(String subject, long seconds) {
        return TestTokens.sign(idpKey, TestTokens.claims(IDP, "gatehouse", subject, clock.instant())
                .expirationTime(java.util.Date.from(clock.instant().plusSeconds(seconds)))
                .claim("groups", List.of("dev")).build());
    }

    java.util.Map<String, String> form(String subjectToken, String actorToken) {
        java.util.Map<String, String> form = new java.util.HashMap<>();
        form.put("grant_type", TokenExchange.GRANT_TYPE);
        form.put("subject_token", subjectToken);
        form.put("subject_token_type", TokenExchange.JWT_TYPE);
        if (actorToken != null) {
            form.put("actor_token", actorToken);
            form.put("actor_token_type", TokenExchange.JWT_TYPE);
        }
        return form;
    }

    TokenExchange.Outcome exchange(String subjectToken, String actorToken) {
        return TestTokens.await(exchange.exchange(form(subjectToken, actorToken)));
    }
}
