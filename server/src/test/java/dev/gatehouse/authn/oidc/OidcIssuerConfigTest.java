package dev.gatehouse.authn.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OidcIssuerConfigTest {
    static OidcIssuerConfig.Builder base() {
        return OidcIssuerConfig.builder("authentication.oidc[1]").issuerUrl("https://idp.example.com")
                .audiences(List.of("gatehouse"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://idp.example.com", "ftp://idp", "https://idp.example.com?x=1", "idp.example.com"})
    void refusesAnIssuerUrlThatIsNotHttpsNamingTheKey(String url) {
        assertThatThrownBy(() -> base().issuerUrl(url).build())
                .hasMessageStartingWith("authentication.oidc[1].issuerUrl: " + url)
                .hasMessageContaining("expected: https URL");
    }

    @Test
    void allowsPlainHttpOnlyOnLoopback() {
        assertThat(base().issuerUrl("http://127.0.0.1:8080/default").build().issuerUrl())
                .isEqualTo("http://127.0.0.1:8080/default");
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "HS256", "HS512", "RSA1_5"})
    void refusesNoneAndHmacAlgorithms(String alg) {
        assertThatThrownBy(() -> base().allowedAlgorithms(Set.of(alg)).build())
                .hasMessageStartingWith("authentication.oidc[1].allowedAlgorithms: " + alg)
                .hasMessageContaining("never none or HMAC");
    }

    @Test
    void requiresAnAudience() {
        assertThatThrownBy(() -> base().audiences(List.of()).build())
                .hasMessageStartingWith("authentication.oidc[1].audiences");
    }

    @Test
    void refusesALargeClockSkew() {
        assertThatThrownBy(() -> base().clockSkew(Duration.ofMinutes(10)).build())
                .hasMessageStartingWith("authentication.oidc[1].clockSkew: PT10M (expected: 0s to 5m)");
    }

    @Test
    void refusesAMissingCaFile() {
        assertThatThrownBy(() -> base().caFile(Path.of("/nonexistent/ca.pem")).build())
                .hasMessageStartingWith("authentication.oidc[1].caFile: /nonexistent/ca.pem");
    }

    @Test
    void refusesAnEmptyPrefixUnlessTheUsernameIsAnEmail() {
        assertThatThrownBy(() -> base().usernamePrefix("").build())
                .hasMessageStartingWith("authentication.oidc[1].usernamePrefix");
        assertThat(base().usernameClaim("email").build().usernamePrefix()).isEmpty();
    }

    @Test
    void defaultsThePrefixToTheIssuerSoNamesCannotCollide() {
        OidcIssuerConfig c = base().build();
        assertThat(c.usernamePrefix()).isEqualTo("https://idp.example.com#");
        assertThat(c.groupsPrefix()).isEqualTo("https://idp.example.com#");
    }

    @Test
    void refusesTwoIssuersWithTheSamePrefix() {
        OidcIssuerConfig a = base().usernamePrefix("x:").build();
        OidcIssuerConfig b = OidcIssuerConfig.builder("authentication.oidc[2]").issuerUrl("https://other.example.com")
                .audiences(List.of("g")).usernamePrefix("x:").build();
        assertThatThrownBy(() -> OidcIssuerConfig.checkDistinct(List.of(a, b)))
                .hasMessageStartingWith("authentication.oidc[2].usernamePrefix");
    }

    @Test
    void refusesAPrefixWithControlCharacters() {
        assertThatThrownBy(() -> base().usernamePrefix("x\n").build())
                .hasMessageStartingWith("authentication.oidc[1].usernamePrefix");
    }
}
