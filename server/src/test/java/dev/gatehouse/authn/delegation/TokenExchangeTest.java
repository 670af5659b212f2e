package dev.gatehouse.authn.delegation;

import static dev.gatehouse.authn.oidc.TestTokens.authenticate;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.AuthenticationResult.Authenticated;
import dev.gatehouse.authn.AuthenticationResult.Rejected;
import dev.gatehouse.authn.delegation.TokenExchange.Outcome;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;

class TokenExchangeTest {
    final DelegationFixture f = new DelegationFixture();

    String issued(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Issued.class);
        return ((Outcome.Issued) outcome).accessToken();
    }

    @Test
    void issuesATokenForTheSubjectCarryingTheActor() {
        String token = issued(f.exchange(f.idpToken("alice", 600), f.idpToken("agent-1", 600)));

        Identity id = ((Authenticated) authenticate(f.union, token)).identity();
        assertThat(id.user()).isEqualTo("corp:alice");
        assertThat(id.groups()).containsExactly("corp:dev");
        assertThat(id.method()).isEqualTo(AuthenticationMethod.DELEGATED);
        assertThat(id.issuer()).isEqualTo(DelegationFixture.IDP);
        assertThat(id.actorChain()).containsExactly(new Identity.Actor("corp:agent-1", DelegationFixture.IDP));
        assertThat(id.credentialId()).startsWith("jti:");
        assertThat(id.expiresAt()).isEqualTo(DelegationFixture.NOW.plus(Duration.ofMinutes(5)));
    }

    @Test
    void growsTheChainWhenANestedAgentExchangesADelegatedToken() {
        String first = issued(f.exchange(f.idpToken("alice", 600), f.idpToken("agent-1", 600)));
        String second = issued(f.exchange(first, f.idpToken("agent-2", 600)));

        Identity id = ((Authenticated) authenticate(f.union, second)).identity();
        assertThat(id.user()).isEqualTo("corp:alice");
        assertThat(id.actorChain()).extracting(Identity.Actor::subject).containsExactly("corp:agent-2", "corp:agent-1");
    }

    @Test
    void writesTheActClaimInRfc8693Nesting() throws Exception {
        String first = issued(f.exchange(f.idpToken("alice", 600), f.idpToken("agent-1", 600)));
        String second = issued(f.exchange(first, f.idpToken("agent-2", 600)));
        JWTClaimsSet claims = com.nimbusds.jwt.SignedJWT.parse(second).getJWTClaimsSet();
        Map<String, Object> act = claims.getJSONObjectClaim("act");
        assertThat(act).containsEntry("sub", "corp:agent-2");
        assertThat(((Map<?, ?>) act.get("act")).get("sub")).isEqualTo("corp:agent-1");
        assertThat(claims.getSubject()).isEqualTo("corp:alice");
    }

    @Test
    void neverOutlivesTheSubjectToken() {
        Outcome.Issued out = (Outcome.Issued) f.exchange(f.idpToken("alice", 60), f.idpToken("agent-1", 600));
        assertThat(out.expiresIn()).isEqualTo(60);
    }

    @Test
    void refusesReuseAfterExpiry() {
        String token = issued(f.exchange(f.idpToken("alice", 600), f.idpToken("agent-1", 600)));
        f.clock.advance(Duration.ofMinutes(5));
        AuthenticationResult result = authenticate(f.union, token);
        assertThat(result).isInstanceOf(Rejected.class);
        assertThat(((Rejected) result).reason()).contains("Expired");
    }

    @Test
    void requiresAnActorToken() {
        Outcome out = f.exchange(f.idpToken("alice", 600), null);
        assertThat(out).isEqualTo(new Outcome.Error(400, "invalid_request",
                "actor_token (the agent's own token) and its actor_token_type are required"));
    }

    @Test
    void refusesADelegatedTokenAsActor() {
        String delegated = issued(f.exchange(f.idpToken("alice", 600), f.idpToken("agent-1", 600)));
        Outcome out = f.exchange(f.idpToken("bob", 600), delegated);
        assertThat(((Outcome.Error) out).description()).contains("not a delegated one");
    }

    @Test
    void refusesSubjectTokensThatDoNotVerify() {
        Outcome out = f.exchange(f.idpToken("alice", 600) + "x", f.idpToken("agent-1", 600));
        assertThat(((Outcome.Error) out).error()).isEqualTo("invalid_grant");
    }

    @Test
    void refusesAnotherGrantType() {
        Map<String, String> form = f.form(f.idpToken("alice", 600), f.idpToken("agent-1", 600));
        form.put("grant_type", "client_credentials");
        Outcome out = dev.gatehouse.authn.oidc.TestTokens.await(f.exchange.exchange(form));
        assertThat(((Outcome.Error) out).error()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void refusesAnUpstreamTypedTokenFromTheSameIssuer() {
        String upstream = f.issuer.sign(new JWTClaimsSet.Builder().subject("corp:alice")
                .audience(DelegationFixture.GATEHOUSE).jwtID("r1").issueTime(java.util.Date.from(f.clock.instant()))
                .expirationTime(java.util.Date.from(f.clock.instant().plusSeconds(30)))
                .claim("act", Map.of("sub", "x")), GatehouseIssuer.UPSTREAM_TYPE);
        assertThat(authenticate(f.delegated, upstream)).isInstanceOf(Rejected.class);
    }

    @Test
    void keepsVerifyingAfterOneRotationButNotAfterTheKeyIsRetired() {
        String token = issued(f.exchange(f.idpToken("alice", 600), f.idpToken("agent-1", 600)));
        f.issuer.keys().rotate();
        assertThat(authenticate(f.union, token)).isInstanceOf(Authenticated.class);
        f.issuer.keys().rotate();
        f.issuer.keys().rotate();
        assertThat(authenticate(f.union, token)).isInstanceOf(Rejected.class);
    }
}
