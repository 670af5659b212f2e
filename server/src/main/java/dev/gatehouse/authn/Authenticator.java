package dev.gatehouse.authn;

import io.vertx.core.Future;

/**
 * Verifies a client's credential. Each mechanism (static tokens, OIDC, service-account tokens, delegated
 * tokens) is one implementation; {@link UnionAuthenticator} asks them in order.
 */
@FunctionalInterface
public interface Authenticator {
    /**
     * @return {@link AuthenticationResult.Authenticated} with the identity, {@link AuthenticationResult.Abstain}
     * when the credential is not of this mechanism's kind, or {@link AuthenticationResult.Rejected} when it is
     * but does not verify. Never fails the future for a bad credential; fails only on internal errors.
     */
    Future<AuthenticationResult> authenticate(Credential credential);
}
