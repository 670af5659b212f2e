package dev.gatehouse.ui;

import java.time.Duration;

/**
 * How long the UI's sessions and sign-ins last.
 *
 * @param idleTimeout     a session not used for this long ends
 * @param absoluteTimeout a session ends this long after sign-in whatever its use (and never after its ID token)
 * @param signInTimeout   how long a started sign-in may take at the identity provider
 * @param maxSessions     the most sessions (and, separately, started sign-ins) held at once; the oldest goes first
 */
public record UiSettings(Duration idleTimeout, Duration absoluteTimeout, Duration signInTimeout, int maxSessions) {
    public UiSettings {
        positive("idleTimeout", idleTimeout);
        positive("absoluteTimeout", absoluteTimeout);
        positive("signInTimeout", signInTimeout);
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions: " + maxSessions + " (expected: >= 1)");
        }
    }

    /** 30 minutes idle, 8 hours at most, 10 minutes to sign in, 10,000 sessions. */
    public static UiSettings defaults() {
        return new UiSettings(Duration.ofMinutes(30), Duration.ofHours(8), Duration.ofMinutes(10), 10_000);
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
