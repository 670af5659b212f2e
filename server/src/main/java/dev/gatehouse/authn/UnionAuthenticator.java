package dev.gatehouse.authn;

import java.util.List;

import io.vertx.core.Future;

/**
 * Asks each authenticator in order: the first that authenticates or rejects decides; if all abstain the
 * credential is unknown and the result is a rejection.
 */
public final class UnionAuthenticator implements Authenticator {
    private final List<Authenticator> authenticators;

    public UnionAuthenticator(List<Authenticator> authenticators) {
        this.authenticators = List.copyOf(authenticators);
    }

    @Override
    public Future<AuthenticationResult> authenticate(Credential credential) {
        return next(credential, 0);
    }

    private Future<AuthenticationResult> next(Credential credential, int index) {
        if (index == authenticators.size()) {
            return Future.succeededFuture(new AuthenticationResult.Rejected(
                    "the bearer token is not recognised by any configured authenticator",
                    TokenFingerprint.of(credential.bearerToken())));
        }
        return authenticators.get(index).authenticate(credential).compose(result -> result
                instanceof AuthenticationResult.Abstain ? next(credential, index + 1) : Future.succeededFuture(result));
    }
}
