package dev.gatehouse.authn.cache;

import static dev.gatehouse.authn.oidc.TestTokens.authenticate;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.authn.oidc.MutableClock;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import io.vertx.core.Future;

class CachingAuthenticatorTest {
    static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");
    final MutableClock clock = new MutableClock(NOW);
    final AtomicInteger calls = new AtomicInteger();

    Authenticator counting(Instant expiresAt) {
        return credential -> {
            calls.incrementAndGet();
            if (credential.bearerToken().startsWith("bad")) {
                return Future.succeededFuture(new AuthenticationResult.Rejected("no", ""));
            }
            return Future.succeededFuture(new AuthenticationResult.Authenticated(new Identity("alice", "", List.of(),
                    "test", AuthenticationMethod.OIDC, List.of(), Map.of(), "", expiresAt)));
        };
    }

    @Test
    void answersARepeatedTokenFromTheCache() {
        Authenticator cached = new CachingAuthenticator(counting(NOW.plusSeconds(600)),
                new VerifiedTokenCache(100, Duration.ofMinutes(5), clock));
        assertThat(authenticate(cached, "t1")).isInstanceOf(AuthenticationResult.Authenticated.class);
        assertThat(authenticate(cached, "t1")).isInstanceOf(AuthenticationResult.Authenticated.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void neverKeepsAnEntryPastTheTokensExpiry() {
        Authenticator cached = new CachingAuthenticator(counting(NOW.plusSeconds(30)),
                new VerifiedTokenCache(100, Duration.ofMinutes(5), clock));
        authenticate(cached, "t1");
        clock.advance(Duration.ofSeconds(30));
        authenticate(cached, "t1");
        assertThat(calls).hasValue(2);
    }

    @Test
    void forgetsAnEntryAfterMaxAge() {
        Authenticator cached = new CachingAuthenticator(counting(null),
                new VerifiedTokenCache(100, Duration.ofSeconds(10), clock));
        authenticate(cached, "t1");
        clock.advance(Duration.ofSeconds(10));
        authenticate(cached, "t1");
        assertThat(calls).hasValue(2);
    }

    @Test
    void doesNotCacheRejections() {
        Authenticator cached = new CachingAuthenticator(counting(null),
                new VerifiedTokenCache(100, Duration.ofMinutes(5), clock));
        authenticate(cached, "bad");
        authenticate(cached, "bad");
        assertThat(calls).hasValue(2);
    }

    @Test
    void staysWithinItsBound() {
        VerifiedTokenCache cache = new VerifiedTokenCache(50, Duration.ofMinutes(5), clock);
        Authenticator cached = new CachingAuthenticator(counting(null), cache);
        for (int i = 0; i < 500; i++) {
            authenticate(cached, "token-" + i);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(50);
    }

    @Test
    void keysByDigestSoEqualTokensShareAnEntry() {
        assertThat(TokenDigest.of("abc")).isEqualTo(TokenDigest.of(new String("abc")));
        assertThat(TokenDigest.of("abc")).isNotEqualTo(TokenDigest.of("abd"));
        assertThat(TokenDigest.of("secret-token").toString()).doesNotContain("secret");
    }
}
