package dev.gatehouse.authn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import io.vertx.core.Future;

class UnionAuthenticatorTest {
    static final Authenticator ABSTAINS = c -> Future.succeededFuture(AuthenticationResult.abstain());
    static final Authenticator ACCEPTS = c -> Future.succeededFuture(new AuthenticationResult.Authenticated(
            new Identity("system:serviceaccount:ci:deployer", "", List.of(), "cluster:prod",
                    AuthenticationMethod.SERVICE_ACCOUNT, List.of(), Map.of(), "", null)));

    static AuthenticationResult authenticate(Authenticator a) throws Exception {
        return a.authenticate(new Credential("token")).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aNestedUnionWhoseMembersAllAbstainLetsTheNextMechanismDecide() throws Exception {
        // the OIDC issuers are one union inside the gateway's: a service-account token must get past it
        Authenticator oidcIssuers = new UnionAuthenticator(List.of(ABSTAINS, ABSTAINS));
        Authenticator gateway = new UnionAuthenticator(List.of(oidcIssuers, ACCEPTS));

        assertThat(authenticate(gateway)).isInstanceOf(AuthenticationResult.Authenticated.class);
    }

    @Test
    void abstainsWhenEveryMemberAbstains() throws Exception {
        assertThat(authenticate(new UnionAuthenticator(List.of(ABSTAINS, ABSTAINS))))
                .isInstanceOf(AuthenticationResult.Abstain.class);
    }

    @Test
    void theFirstRejectionDecides() throws Exception {
        Authenticator rejects = c -> Future.succeededFuture(new AuthenticationResult.Rejected("bad signature", "fp"));
        assertThat(authenticate(new UnionAuthenticator(List.of(ABSTAINS, rejects, ACCEPTS))))
                .isEqualTo(new AuthenticationResult.Rejected("bad signature", "fp"));
    }
}
