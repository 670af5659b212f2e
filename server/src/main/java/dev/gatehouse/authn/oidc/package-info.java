/**
 * OIDC bearer tokens (JWTs) from any number of configured issuers: people from a company IdP, pipelines
 * from GitHub Actions or GitLab CI. One {@link dev.gatehouse.authn.oidc.OidcAuthenticator} per issuer, each
 * abstaining on tokens whose unverified {@code iss} is not its own; signatures and claims are checked by
 * Nimbus JOSE+JWT against the issuer's JWKS, fetched asynchronously and refetched (rate-bounded) when a
 * token names an unknown key.
 */
package dev.gatehouse.authn.oidc;
