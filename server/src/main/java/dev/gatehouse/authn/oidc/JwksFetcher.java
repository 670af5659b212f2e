package dev.gatehouse.authn.oidc;

import com.nimbusds.jose.jwk.JWKSet;

import io.vertx.core.Future;

/** Gets an issuer's current public keys without blocking the caller. */
@FunctionalInterface
public interface JwksFetcher {
    /** The issuer's public signing keys; fails when they cannot be had. */
    Future<JWKSet> fetch();
}
