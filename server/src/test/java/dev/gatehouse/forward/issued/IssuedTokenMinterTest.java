package dev.gatehouse.forward.issued;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.delegation.DelegatedTokenAuthenticator;
import dev.gatehouse.authn.delegation.GatehouseIssuer;
import dev.gatehouse.authn.delegation.GatehouseSigningKeys;
import dev.gatehouse.authn.oidc.MutableClock;
import dev.gatehouse.authn.oidc.TestTokens;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;

class IssuedTokenMinterTest {
    static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");
    final MutableClock clock = new MutableClock(NOW);
    final GatehouseIssuer issuer = new GatehouseIssuer("https://gatehouse.example.com", GatehouseSigningKeys.inMemory());
    final IssuedTokenMinter minter = new IssuedTokenMinter(issuer, Duration.ofSeconds(30), clock);
    final Identity alice = new Identity("corp:alice", "u-1", List.of("corp:dev"), "https://idp.example.com",
            AuthenticationMethod.DELEGATED, List.of(new Identity.Actor("corp:agent-1", "https://idp.example.com")),
            Map.of("ci.repository", "acme/web"), "jti:x", NOW.plusSeconds(600));

    /** What a cluster's JWT authenticator does: verify against the published JWKS, audience, expiry. */
    JWTClaimsSet verifyAsCluster(String token, String audience) throws Exception {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                new ImmutableJWKSet<>(com.nimbusds.jose.jwk.JWKSet.parse(issuer.jwksJson()))));
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(Set.of(audience),
                new JWTClaimsSet.Builder().issuer(issuer.issuerUrl()).build(), Set.of("exp", "jti"), null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        });
        return p.process(token, null);
    }

    @Test
    void mintsATokenTheClusterCanVerifyWithUserGroupsAndRequestId() throws Exception {
        JWTClaimsSet claims = verifyAsCluster(minter.mint(alice, "req-123", "cluster-prod"), "cluster-prod");
        assertThat(claims.getStringClaim("username")).isEqualTo("corp:alice");
        assertThat(claims.getStringListClaim("groups")).containsExactly("corp:dev");
        assertThat(claims.getStringClaim("uid")).isEqualTo("u-1");
        assertThat(claims.getJWTID()).isEqualTo("req-123");
        assertThat(claims.getStringListClaim("actors")).containsExactly("corp:agent-1");
        assertThat(claims.getJSONObjectClaim("attributes")).containsEntry("ci.repository", "acme/web");
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(30));
    }

    @Test
    void isRefusedForAnotherClusterAndAfterItsLifetime() {
        String token = minter.mint(alice, "req-123", "cluster-prod");
        assertThatThrownBy(() -> verifyAsCluster(token, "cluster-staging")).hasMessageContaining("aud");
        clock.advance(Duration.ofSeconds(30 + 61)); // past exp and Nimbus's default 60 s skew
        assertThatThrownBy(() -> verifyAsCluster(token, "cluster-prod")).hasMessageContaining("Expired");
    }

    @Test
    void cannotBePlayedBackAtTheGateway() throws Exception {
        String token = minter.mint(alice, "req-123", "cluster-prod");
        assertThat(SignedJWT.parse(token).getHeader().getType().getType()).isEqualTo("JWT");
        AuthenticationResult result = TestTokens.authenticate(new DelegatedTokenAuthenticator(issuer, clock), token);
        assertThat(result).isInstanceOf(AuthenticationResult.Rejected.class);
    }

    @Test
    void refusesTheIssuerUrlAsClusterAudience() {
        assertThatThrownBy(() -> minter.mint(alice, "r", "https://gatehouse.example.com"))
                .hasMessageStartingWith("clusterAudience");
        assertThatThrownBy(() -> minter.mint(alice, "r\n", "cluster-prod")).hasMessageStartingWith("requestId");
    }
}
