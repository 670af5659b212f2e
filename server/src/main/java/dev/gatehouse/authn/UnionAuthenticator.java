package dev.gatehouse.authn;

import java.util.List;

import io.vertx.core.Future;

/**
 * Asks each authenticator in order: the first that authenticates or rejects decides; when all abstain, so
 * does the union. Unions nest (the OIDC issuers form one union inside the gateway's), so only the outermost
 * caller — {@link AuthenticateStage}, the token exchange — turns "nobody knows this token" into a refusal.
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
            return Future.succeededFuture(AuthenticationResult.abstain());
        }
        return authenticators.get(index).authenticate(credential).compose(result -> result
                instanceof AuthenticationResult.Abstain ? next(credential, index + 1) : Future.succeededFuture(result));
    }
}
