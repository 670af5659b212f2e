package dev.gatehouse.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;

/**
 * The OIDC target's fixture: the gateway's config names the bench issuer with its audience and claims, and
 * the token the clients send verifies against the JWKS that issuer publishes and carries those claims.
 */
class FixtureTest {
    @TempDir
    Path dir;

    @Test
    void theOidcTargetsTokenVerifiesAgainstTheIssuerTheGatewayTrusts() throws Exception {
        Fixture fixture = Fixture.create(dir);
        Fixture.IdentityProvider idp = fixture.identityProvider(8443, Duration.ofMinutes(30));
        assertThat(idp.issuerUrl()).isEqualTo("https://127.0.0.1:8443/idp");

        GatehouseConfig config = ConfigLoader.load(fixture.gatewayConfig("g", 9443, 8443, idp));
        assertThat(config.authentication().staticTokenFile()).isNotNull();
        assertThat(config.authentication().oidc()).singleElement().satisfies(o -> {
            assertThat(o.issuerUrl()).isEqualTo(idp.issuerUrl());
            assertThat(o.audiences()).containsExactly(Fixture.IdentityProvider.AUDIENCE);
            assertThat(o.usernameClaim()).isEqualTo("email");
            assertThat(o.groupsClaim()).isEqualTo("groups");
        });

        Path www = dir.resolve("www/idp");
        JsonNode discovery = new ObjectMapper().readTree(www.resolve(".well-known/openid-configuration").toFile());
        assertThat(discovery.path("issuer").asText()).isEqualTo(idp.issuerUrl());
        assertThat(discovery.path("jwks_uri").asText()).isEqualTo(idp.issuerUrl() + "/jwks.json");
        JWKSet jwks = JWKSet.parse(Files.readString(www.resolve("jwks.json")));
        assertThat(jwks.getKeys()).singleElement().satisfies(k -> assertThat(k.isPrivate()).isFalse());

        SignedJWT token = SignedJWT.parse(idp.token());
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(token.getHeader().getKeyID());
        assertThat(token.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(token.getJWTClaimsSet().getIssuer()).isEqualTo(idp.issuerUrl());
        assertThat(token.getJWTClaimsSet().getAudience()).containsExactly(Fixture.IdentityProvider.AUDIENCE);
        assertThat(token.getJWTClaimsSet().getStringClaim("email")).isEqualTo("bench@example.com");
        assertThat(token.getJWTClaimsSet().getExpirationTime()).isAfter(new Date(System.currentTimeMillis()
                + Duration.ofMinutes(29).toMillis()));
    }

    @Test
    void withoutAnIssuerTheGatewayHasStaticTokensOnly() throws Exception {
        Fixture fixture = Fixture.create(dir);
        GatehouseConfig config = ConfigLoader.load(fixture.gatewayConfig("g", 9443, 8443, null));
        assertThat(config.authentication().oidc()).isEmpty();
        assertThat(config.authentication().staticTokenFile()).isNotNull();
    }
}
