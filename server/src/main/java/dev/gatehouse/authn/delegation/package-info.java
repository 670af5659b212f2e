/**
 * Delegation for agents acting for someone (RFC 8693 token exchange) and Gatehouse's own issuer: the signing
 * keys kept in the data directory, the issuer metadata and JWKS the gateway publishes, the token-exchange
 * endpoint, and the authenticator for the delegated tokens it issues (identity plus {@code act} chain).
 */
package dev.gatehouse.authn.delegation;
