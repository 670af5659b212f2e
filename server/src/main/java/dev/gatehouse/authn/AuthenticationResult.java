package dev.gatehouse.authn;

import dev.gatehouse.identity.Identity;

/** The three outcomes of authentication, each with what the next step needs. */
public sealed interface AuthenticationResult {
    /** The credential verified. */
    record Authenticated(Identity identity) implements AuthenticationResult {
    }

    /** The credential is not of this mechanism's kind; another authenticator may take it. */
    record Abstain() implements AuthenticationResult {
    }

    /**
     * The credential is of this mechanism's kind but does not verify.
     *
     * @param reason     for the client and the audit log: says what is wrong, never the credential itself
     * @param credentialId a fingerprint or jti of the refused credential, for the audit log; may be empty
     */
    record Rejected(String reason, String credentialId) implements AuthenticationResult {
    }

    static AuthenticationResult abstain() {
        return new Abstain();
    }
}
