package dev.gatehouse.authn.statictoken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.Credential;
import dev.gatehouse.identity.AuthenticationMethod;

class StaticTokenAuthenticatorTest {
    private final StaticTokenAuthenticator authn = StaticTokenAuthenticator.parse(List.of(
            "# demo tokens",
            "alice-token,alice,uid-alice,\"dev,readers\"",
            "bob-token,bob,uid-bob",
            "",
            "ci-token,ci,,ops"), "token-file:test");

    @Test
    void authenticatesKnownTokensWithGroupsAndMarksThemBreakGlass() {
        AuthenticationResult result = authn.authenticate(new Credential("alice-token")).await();
        assertThat(result).isInstanceOf(AuthenticationResult.Authenticated.class);
        var identity = ((AuthenticationResult.Authenticated) result).identity();
        assertThat(identity.user()).isEqualTo("alice");
        assertThat(identity.uid()).isEqualTo("uid-alice");
        assertThat(identity.groups()).containsExactly("dev", "readers");
        assertThat(identity.method()).isEqualTo(AuthenticationMethod.STATIC_TOKEN);
        assertThat(identity.method().breakGlass()).isTrue();
        assertThat(identity.credentialId()).startsWith("sha256:").doesNotContain("alice-token");
    }

    @Test
    void abstainsOnUnknownTokensSoOtherMechanismsMayTry() {
        assertThat(authn.authenticate(new Credential("alice-token ")).await())
                .isInstanceOf(AuthenticationResult.Abstain.class);
        assertThat(authn.authenticate(new Credential("ALICE-TOKEN")).await())
                .isInstanceOf(AuthenticationResult.Abstain.class);
    }

    @Test
    void readsSingleGroupWithoutQuotes() {
        var r = (AuthenticationResult.Authenticated) authn.authenticate(new Credential("ci-token")).await();
        assertThat(r.identity().groups()).containsExactly("ops");
        assertThat(r.identity().uid()).isEmpty();
    }

    @Test
    void refusesBadFilesNamingTheLine() {
        assertThatThrownBy(() -> StaticTokenAuthenticator.parse(List.of("a,b", "a,c"), "f"))
                .hasMessageContaining("line 2").hasMessageContaining("duplicate");
        assertThatThrownBy(() -> StaticTokenAuthenticator.parse(List.of("onlytoken"), "f"))
                .hasMessageContaining("line 1");
    }

    @Test
    void credentialToStringNeverShowsTheToken() {
        assertThat(new Credential("s3cr3t").toString()).doesNotContain("s3cr3t");
    }
}
