package dev.gatehouse.authn.oidc;

import java.security.Key;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.KeyConverter;

/**
 * Selects the verification keys for a token's header from the issuer's current JWKS, like Nimbus'
 * {@code JWSVerificationKeySelector}, but converts each matching JWK to a Java key once per fetched key set
 * instead of on every token ({@code KeyFactory} work that a first-seen token otherwise pays each time). Only
 * the configured algorithms are accepted; the cache is dropped whenever the JWKS object changes (rotation).
 */
final class ConvertedKeySelector implements JWSKeySelector<SecurityContext> {
    private final Set<JWSAlgorithm> algorithms;
    private final Supplier<JWKSet> current;
    private volatile JWKSet cachedFor;
    private volatile Map<String, List<Key>> byHeader = new ConcurrentHashMap<>();

    ConvertedKeySelector(Set<JWSAlgorithm> algorithms, Supplier<JWKSet> current) {
        this.algorithms = Set.copyOf(algorithms);
        this.current = current;
    }

    @Override
    public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
        if (!algorithms.contains(header.getAlgorithm())) {
            return List.of();
        }
        JWKSet set = current.get();
        if (set == null) {
            return List.of();
        }
        if (set != cachedFor) {
            byHeader = new ConcurrentHashMap<>();
            cachedFor = set;
        }
        String cacheKey = header.getAlgorithm().getName() + "|" + header.getKeyID() + "|"
                + header.getX509CertSHA256Thumbprint();
        List<Key> cached = byHeader.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        List<Key> converted = List.copyOf(
                KeyConverter.toJavaKeys(new JWKSelector(JWKMatcher.forJWSHeader(header)).select(set)));
        if (!converted.isEmpty()) {
            // Only matches are kept: headers naming unknown keys (a forger's random kids) never grow the map,
            // so it holds at most one entry per key and algorithm of the current set.
            byHeader.put(cacheKey, converted);
        }
        return converted;
    }
}
