package dev.gatehouse.ui;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.gatehouse.identity.Identity;

/**
 * The UI's server-side sessions and started sign-ins, in memory. Ids and tokens are 256 random bits; a session ends
 * when idle for the idle timeout, at its absolute end, or on sign-out, and is then unknown (a replayed cookie finds
 * nothing). A started sign-in is used once.
 */
final class UiSessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UiSettings settings;
    private final Clock clock;
    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final Map<String, SignIn> signIns = new ConcurrentHashMap<>();

    /** A session and when it was last used. */
    private static final class Entry {
        final UiSession session;
        volatile Instant lastUsed;

        Entry(UiSession session, Instant lastUsed) {
            this.session = session;
            this.lastUsed = lastUsed;
        }
    }

    /**
     * A sign-in under way at the identity provider.
     *
     * @param state       the OAuth {@code state}, the key it is found by
     * @param browser     the value of the sign-in cookie that ties it to the browser that started it
     * @param nonce       the OIDC {@code nonce} the ID token must carry
     * @param verifier    the PKCE code verifier
     * @param redirectUri the redirect URI sent to the identity provider
     */
    record SignIn(String state, String browser, String nonce, String verifier, String redirectUri, Instant started) {
    }

    UiSessions(UiSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** 256 random bits, base64url without padding. */
    static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Starts a sign-in for the browser whose sign-in cookie is {@code browser}. */
    SignIn startSignIn(String browser, String redirectUri) {
        sweep();
        trim(signIns.size(), signIns, s -> s.started());
        SignIn signIn = new SignIn(random(), browser, random(), random(), redirectUri, clock.instant());
        signIns.put(signIn.state(), signIn);
        return signIn;
    }

    /**
     * The sign-in of {@code state}, removed (a state is used once), if it was started by this browser and has not
     * timed out; null otherwise.
     */
    SignIn finishSignIn(String state, String browser) {
        if (state == null || browser == null) {
            return null;
        }
        SignIn signIn = signIns.remove(state);
        if (signIn == null || !equal(signIn.browser(), browser)
                || !clock.instant().isBefore(signIn.started().plus(settings.signInTimeout()))) {
            return null;
        }
        return signIn;
    }

    /** A new session for a verified identity, ending at the absolute timeout or the token's expiry if sooner. */
    UiSession create(Identity identity, String idToken) {
        sweep();
        trim(sessions.size(), sessions, e -> e.session.created());
        Instant now = clock.instant();
        Instant end = now.plus(settings.absoluteTimeout());
        if (identity.expiresAt() != null && identity.expiresAt().isBefore(end)) {
            end = identity.expiresAt();
        }
        UiSession session = new UiSession(random(), random(), idToken, identity, now, end);
        sessions.put(session.id(), new Entry(session, now));
        return session;
    }

    /** The live session of this cookie value, marked as used now; null when unknown, ended or timed out. */
    UiSession find(String id) {
        if (id == null) {
            return null;
        }
        Entry entry = sessions.get(id);
        if (entry == null) {
            return null;
        }
        Instant now = clock.instant();
        if (!now.isBefore(entry.session.expiresAt()) || !now.isBefore(entry.lastUsed.plus(settings.idleTimeout()))) {
            sessions.remove(id, entry);
            return null;
        }
        entry.lastUsed = now;
        return entry.session;
    }

    /** Ends a session (sign-out). */
    void end(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    int size() {
        return sessions.size();
    }

    /** True when {@code given} is the session's CSRF token (compared in constant time). */
    static boolean csrfMatches(UiSession session, String given) {
        return given != null && equal(session.csrfToken(), given);
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Drops ended sessions and timed-out sign-ins. */
    private void sweep() {
        Instant now = clock.instant();
        sessions.values().removeIf(e -> !now.isBefore(e.session.expiresAt())
                || !now.isBefore(e.lastUsed.plus(settings.idleTimeout())));
        signIns.values().removeIf(s -> !now.isBefore(s.started().plus(settings.signInTimeout())));
    }

    /** At the bound, the oldest entry goes. */
    private <V> void trim(int size, Map<String, V> map, java.util.function.Function<V, Instant> age) {
        if (size < settings.maxSessions()) {
            return;
        }
        String oldest = null;
        Instant when = null;
        for (Iterator<Map.Entry<String, V>> it = map.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, V> e = it.next();
            Instant t = age.apply(e.getValue());
            if (when == null || t.isBefore(when)) {
                oldest = e.getKey();
                when = t;
            }
        }
        if (oldest != null) {
            map.remove(oldest);
        }
    }
}
