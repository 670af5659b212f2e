package dev.gatehouse.authn.cache;

import java.util.Objects;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.authn.Credential;
import dev.gatehouse.identity.Identity;
import io.vertx.core.Future;

/**
 * Puts a {@link VerifiedTokenCache} in front of another authenticator: a token that verified before is
 * answered from the cache; only successes are cached, so a rejected token is checked again every time.
 * Wrap the whole union (one cache for every mechanism) or one mechanism with its own, shorter-lived cache
 * (service-account tokens).
 */
public final class CachingAuthenticator implements Authenticator {
    private final Authenticator delegate;
    private final VerifiedTokenCache cache;

    public CachingAuthenticator(Authenticator delegate, VerifiedTokenCache cache) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    @Override
    public Future<AuthenticationResult> authenticate(Credential credential) {
        String token = credential.bearerToken();
        if (token == null || token.isEmpty()) {
            return delegate.authenticate(credential);
        }
        TokenDigest digest = TokenDigest.of(token);
        Identity cached = cache.get(digest);
        if (cached != null) {
            return Future.succeededFuture(new AuthenticationResult.Authenticated(cached));
        }
        return delegate.authenticate(credential).andThen(ar -> {
            if (ar.succeeded() && ar.result() instanceof AuthenticationResult.Authenticated a) {
                cache.put(digest, a.identity());
            }
        });
    }
}
