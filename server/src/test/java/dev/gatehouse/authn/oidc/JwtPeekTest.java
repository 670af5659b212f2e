package dev.gatehouse.authn.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

import dev.gatehouse.authn.AuthenticationResult;
import io.vertx.core.Future;

/** Only the compact form a token was signed in is read (the spellings {@link JwtPeekFuzzTest} found authenticated). */
class JwtPeekTest {
    static final String ISSUER = "https://idp.example.com";
    static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");
    static final RSAKey KEY = TestTokens.rsaKey("k1");
    static final String TOKEN = TestTokens.sign(KEY, TestTokens.claims(ISSUER, "gatehouse", "alice", NOW).build());

    static Stream<Arguments> respellings() {
        return Stream.of(
                Arguments.of("a trailing newline", (UnaryOperator<String>) t -> t + "\n"),
                Arguments.of("a trailing space", (UnaryOperator<String>) t -> t + " "),
                Arguments.of("junk inside the signature", (UnaryOperator<String>) t -> t.substring(0, t.length() - 5)
                        + "!~" + t.substring(t.length() - 5)),
                Arguments.of("padding", (UnaryOperator<String>) t -> t + "=="),
                Arguments.of("standard base64", (UnaryOperator<String>) t -> t.replace('-', '+').replace('_', '/')),
                Arguments.of("a fourth part", (UnaryOperator<String>) t -> t + ".e30"),
                Arguments.of("trailing bits set", (UnaryOperator<String>) JwtPeekTest::flipTrailingBit));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("respellings")
    void leavesOtherSpellingsOfASignedTokenToNoOne(String what, UnaryOperator<String> respell) {
        String respelled = respell.apply(TOKEN);
        if (respelled.equals(TOKEN)) {
            return; // e.g. a token without '-' or '_'
        }
        assertThat(JwtPeek.of(respelled)).isNull();
        assertThat(TestTokens.authenticate(authenticator(), respelled))
                .isInstanceOf(AuthenticationResult.Abstain.class);
    }

    @Test
    void readsTheTokenAsSigned() {
        assertThat(JwtPeek.of(TOKEN)).isNotNull();
        assertThat(TestTokens.authenticate(authenticator(), TOKEN))
                .isInstanceOf(AuthenticationResult.Authenticated.class);
    }

    private static OidcAuthenticator authenticator() {
        OidcIssuerConfig config = OidcIssuerConfig.builder("authentication.oidc[0]").issuerUrl(ISSUER)
                .audiences(List.of("gatehouse")).build();
        JwksCache keys = JwksCache.preloaded(new JWKSet(KEY.toPublicJWK()),
                () -> Future.failedFuture("no refetch in tests"), Duration.ofSeconds(10));
        return new OidcAuthenticator(config, keys, new MutableClock(NOW));
    }

    /** The RS256 signature is 256 bytes: 342 characters, the last carrying 4 unused bits. */
    private static String flipTrailingBit(String token) {
        char last = token.charAt(token.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
    }
}
