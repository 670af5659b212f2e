package dev.gatehouse.authn.oidc;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * An issuer's keys, held in memory and refreshed through a {@link JwksFetcher}:
 * <ul>
 *   <li>when a token names a key we do not hold (rotation at the IdP), at most once per
 *       {@code minRefreshInterval} — a flood of tokens with made-up {@code kid}s costs one fetch per interval;</li>
 *   <li>in the background when the keys are older than {@code maxAge};</li>
 *   <li>concurrent callers share one fetch in flight.</li>
 * </ul>
 * A failed fetch keeps the keys we had. Thread-safe.
 */
public final class JwksCache {
    private final JwksFetcher fetcher;
    private final long minRefreshNanos;
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;

    private volatile JWKSet keys;
    private volatile long loadedAt;
    private long lastAttempt;
    private boolean attempted;
    private Future<JWKSet> inFlight;

    public JwksCache(JwksFetcher fetcher, Duration minRefreshInterval, Duration maxAge, LongSupplier nanoClock) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.minRefreshNanos = minRefreshInterval.toNanos();
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Defaults: refetch on an unknown key at most every 10 s; refresh keys older than 1 h. */
    public static JwksCache of(JwksFetcher fetcher) {
        return new JwksCache(fetcher, Duration.ofSeconds(10), Duration.ofHours(1), System::nanoTime);
    }

    /** A cache that starts with fixed keys (tests, benchmarks, and the gateway's own issuer). */
    public static JwksCache preloaded(JWKSet keys, JwksFetcher fetcher, Duration minRefreshInterval) {
        JwksCache cache = new JwksCache(fetcher, minRefreshInterval, Duration.ofDays(3650), System::nanoTime);
        cache.keys = keys;
        cache.loadedAt = System.nanoTime();
        return cache;
    }

    /** The keys held now, or null before the first successful fetch. */
    public JWKSet current() {
        return keys;
    }

    /**
     * Keys that can verify a token with this header: the current keys if one matches, else the result of a
     * (rate-bounded) refetch. Fails only when no keys were ever loaded and none can be fetched now.
     */
    public Future<JWKSet> keysFor(JWSHeader header) {
        JWKSet now = keys;
        if (now != null && !new JWKSelector(JWKMatcher.forJWSHeader(header)).select(now).isEmpty()) {
            if (nanoClock.getAsLong() - loadedAt > maxAgeNanos) {
                refresh(); // in the background; this request uses the keys we hold
            }
            return Future.succeededFuture(now);
        }
        return refresh().recover(err -> now != null ? Future.succeededFuture(now) : Future.failedFuture(err));
    }

    /** Starts a fetch unless one is in flight or the last began less than the minimum interval ago. */
    public synchronized Future<JWKSet> refresh() {
        if (inFlight != null) {
            return inFlight;
        }
        long now = nanoClock.getAsLong();
        if (attempted && now - lastAttempt < minRefreshNanos) {
            return keys != null ? Future.succeededFuture(keys)
                    : Future.failedFuture(new IllegalStateException("the issuer's keys are not available yet"));
        }
        attempted = true;
        lastAttempt = now;
        Promise<JWKSet> promise = Promise.promise();
        inFlight = promise.future();
        Future<JWKSet> fetched;
        try {
            fetched = fetcher.fetch();
        } catch (RuntimeException e) {
            fetched = Future.failedFuture(e);
        }
        fetched.onComplete(ar -> {
            synchronized (this) {
                inFlight = null;
                if (ar.succeeded()) {
                    keys = ar.result();
                    loadedAt = nanoClock.getAsLong();
                }
            }
            promise.handle(ar);
        });
        return promise.future();
    }
}
