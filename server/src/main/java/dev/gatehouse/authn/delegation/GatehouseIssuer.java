package dev.gatehouse.authn.delegation;

import java.net.URI;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.gatehouse.authn.JoseCrypto;

/**
 * Gatehouse as a token issuer: signs the delegated tokens of the token exchange and the per-request upstream
 * credentials ({@code issued-token} mode), and describes itself with OIDC discovery metadata and a JWKS so
 * that a cluster's JWT authenticator can trust it.
 *
 * @see IssuerEndpoints for the HTTP side
 */
public final class GatehouseIssuer {
    /** {@code typ} of delegated tokens: only the gateway accepts them. */
    public static final JOSEObjectType DELEGATED_TYPE = new JOSEObjectType("gatehouse-delegated+jwt");
    /** {@code typ} of per-request upstream tokens: only clusters accept them. */
    public static final JOSEObjectType UPSTREAM_TYPE = JOSEObjectType.JWT;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String issuerUrl;
    private final GatehouseSigningKeys keys;

    /**
     * @param issuerUrl the gateway's external https URL, exactly as clusters and clients reach it
     *                  (e.g. {@code https://gatehouse.example.com}); it is the {@code iss} of every token
     * @param keys      the signing keys
     */
    public GatehouseIssuer(String issuerUrl, GatehouseSigningKeys keys) {
        Objects.requireNonNull(issuerUrl, "issuerUrl");
        URI uri = URI.create(issuerUrl);
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawQuery() != null
                || issuerUrl.endsWith("/")) {
            throw new IllegalArgumentException("issuer.url: " + issuerUrl + " (expected: https URL without a trailing slash)");
        }
        this.issuerUrl = issuerUrl;
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    public String issuerUrl() {
        return issuerUrl;
    }

    public GatehouseSigningKeys keys() {
        return keys;
    }

    /** Signs claims (the issuer is set here) with the active key, ES256, with the given {@code typ}. */
    public String sign(JWTClaimsSet.Builder claims, JOSEObjectType type) {
        ECKey key = keys.active();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(type).build();
        SignedJWT jwt = new SignedJWT(header, claims.issuer(issuerUrl).build());
        try {
            jwt.sign(JoseCrypto.ecdsaSigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with the issuer's key", e);
        }
        return jwt.serialize();
    }

    /** The OIDC discovery document served at {@code /.well-known/openid-configuration}. */
    public String metadataJson() {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("issuer", issuerUrl);
        doc.put("jwks_uri", issuerUrl + IssuerEndpoints.JWKS_PATH);
        doc.put("token_endpoint", issuerUrl + IssuerEndpoints.TOKEN_PATH);
        doc.putArray("grant_types_supported").add(TokenExchange.GRANT_TYPE);
        doc.putArray("response_types_supported").add("id_token");
        doc.putArray("subject_types_supported").add("public");
        doc.putArray("id_token_signing_alg_values_supported").add("ES256");
        doc.putArray("token_endpoint_auth_methods_supported").add("none");
        List.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "act", "groups", "username", "uid")
                .forEach(doc.putArray("claims_supported")::add);
        return doc.toString();
    }

    /** The public keys as a JWKS document, served at {@link IssuerEndpoints#JWKS_PATH}. */
    public String jwksJson() {
        return keys.publicKeys().toString(true);
    }
}
