package dev.gatehouse.ui;

import java.time.Instant;
import java.util.Objects;

import dev.gatehouse.identity.Identity;

/**
 * A signed-in person's session: its random id (the cookie's value), its CSRF token, the verified ID token the UI
 * presents to the gateway's APIs on the person's behalf, and when it ends.
 *
 * @param expiresAt the absolute end: sign-in plus the absolute timeout, or the ID token's expiry if sooner
 */
record UiSession(String id, String csrfToken, String idToken, Identity identity, Instant created,
                 Instant expiresAt) {
    UiSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(idToken, "idToken");
        Objects.requireNonNull(identity, "identity");
    }

    @Override
    public String toString() { // never the token or the cookie's value
        return "UiSession[" + identity.user() + ", until " + expiresAt + "]";
    }
}
