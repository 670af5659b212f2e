package dev.gatehouse.forward.issued;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.SignedJWT;

import dev.gatehouse.authn.delegation.GatehouseIssuer;
import dev.gatehouse.authn.delegation.GatehouseSigningKeys;
import dev.gatehouse.authn.oidc.MutableClock;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import io.vertx.core.MultiMap;

class IssuedTokenCarrierTest {
    @Test
    void sendsATokenMintedForTheRequestInsteadOfTheGatewaysCredential() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-10T10:00:00Z"));
        IssuedTokenMinter minter = new IssuedTokenMinter(new GatehouseIssuer("https://gatehouse.example.com",
                GatehouseSigningKeys.inMemory()), Duration.ofSeconds(30), clock);
        Exchange exchange = new Exchange("req-42", new RequestHead("GET", "/api", "", MultiMap.caseInsensitiveMultiMap(),
                "127.0.0.1", false), clock.instant(), System.nanoTime());
        exchange.identity(new Identity("corp:alice", "", List.of(), "idp", AuthenticationMethod.OIDC, List.of(),
                Map.of(), "", null));
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();

        new IssuedTokenCarrier(minter, "cluster-prod").carry(exchange, headers);

        SignedJWT jwt = SignedJWT.parse(headers.get("Authorization").substring("Bearer ".length()));
        assertThat(jwt.getJWTClaimsSet().getJWTID()).isEqualTo("req-42");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("cluster-prod");
        assertThat(headers.names()).containsExactly("Authorization");
    }
}
