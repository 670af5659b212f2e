package dev.gatehouse.authn.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import dev.gatehouse.identity.Identity;

/**
 * Identities of tokens that verified, keyed by {@link TokenDigest}. Bounded: at most {@code maxEntries}
 * entries; when full, expired entries go first, then an arbitrary tenth of the rest. Each entry expires at
 * the earlier of the token's own expiry and {@code maxAge} after it was stored, so a revoked signing key or a
 * disabled account stops working within {@code maxAge}. Thread-safe.
 */
public final class VerifiedTokenCache {
    private final ConcurrentHashMap<TokenDigest, Entry> entries;
    private final int maxEntries;
    private final Duration maxAge;
    private final Clock clock;

    private record Entry(Identity identity, Instant notAfter) {
    }

    /**
     * @param maxEntries how many tokens to remember, &gt; 0
     * @param maxAge     the longest an entry is trusted, &gt; 0
     */
    public VerifiedTokenCache(int maxEntries, Duration maxAge, Clock clock) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: > 0)");
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: > 0)");
        }
        this.entries = new ConcurrentHashMap<>(Math.min(maxEntries, 1 << 16) * 2);
        this.maxEntries = maxEntries;
        this.maxAge = maxAge;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The identity stored for this digest, or null when absent or expired. */
    public Identity get(TokenDigest digest) {
        Entry e = entries.get(digest);
        if (e == null) {
            return null;
        }
        if (!clock.instant().isBefore(e.notAfter())) {
            entries.remove(digest, e);
            return null;
        }
        return e.identity();
    }

    /** Remembers a verified identity; does nothing when the identity has already expired. */
    public void put(TokenDigest digest, Identity identity) {
        Instant now = clock.instant();
        Instant notAfter = now.plus(maxAge);
        if (identity.expiresAt() != null && identity.expiresAt().isBefore(notAfter)) {
            notAfter = identity.expiresAt();
        }
        if (!now.isBefore(notAfter)) {
            return;
        }
        if (entries.size() >= maxEntries) {
            evict(now);
        }
        entries.put(digest, new Entry(identity, notAfter));
    }

    /** How many entries are held (expired ones included until they are evicted). */
    public int size() {
        return entries.size();
    }

    private void evict(Instant now) {
        entries.values().removeIf(e -> !now.isBefore(e.notAfter()));
        int excess = entries.size() - maxEntries + Math.max(1, maxEntries / 10);
        Iterator<TokenDigest> it = entries.keySet().iterator();
        while (excess-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
